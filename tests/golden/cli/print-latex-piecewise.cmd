$GRADBOX print --latex -f examples/hw3.grad "sigma3(x)"
