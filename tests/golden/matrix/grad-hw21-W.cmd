$GRADBOX grad -f examples/net.grad --wrt W "zhat'*z"
