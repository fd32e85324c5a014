$GRADBOX grad --latex -f examples/net.grad --wrt x "yhat'*y"
