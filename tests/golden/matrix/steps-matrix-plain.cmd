$GRADBOX grad --steps --notation plain -f examples/net.grad --wrt W "zhat'*z"
