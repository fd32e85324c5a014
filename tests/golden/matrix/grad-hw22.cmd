$GRADBOX grad -f examples/net.grad --wrt x "yhat'*y"
