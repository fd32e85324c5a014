$GRADBOX diff --latex -f examples/activations.grad "selu(x)"
