$GRADBOX grad --steps -f examples/net.grad --wrt x "zhat'*z"
