$GRADBOX grad --steps -f examples/net.grad --wrt x "yhat'*y"
