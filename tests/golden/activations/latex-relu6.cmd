$GRADBOX diff --latex -f examples/activations.grad "relu6(x)"
