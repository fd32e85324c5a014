$GRADBOX diff --steps --notation T,circ,rm,nobold -f examples/net.grad --wrt x "yhat'*y"
