$GRADBOX diff --latex -f examples/activations.grad "mish(x)"
