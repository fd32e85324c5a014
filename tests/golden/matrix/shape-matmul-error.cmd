$GRADBOX print -f examples/net.grad "W*y'"
