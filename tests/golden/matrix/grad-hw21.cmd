$GRADBOX grad -f examples/net.grad --wrt x "zhat'*z"
