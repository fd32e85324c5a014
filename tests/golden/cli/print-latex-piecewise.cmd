$GRADBOX print --latex -f examples/hw3-activations.grad "sigma3(x)"
