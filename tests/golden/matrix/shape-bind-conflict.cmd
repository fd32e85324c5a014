$GRADBOX eval -f examples/net.grad 'W*x' x=[1,2,3] W=[[1,2],[3,4]]
