$GRADBOX eval -f examples/net.grad 'y' x=[1,-2] W=[[1/2,1],[-1,2]]
