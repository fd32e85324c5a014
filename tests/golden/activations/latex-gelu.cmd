$GRADBOX diff --latex -f examples/activations.grad "gelu(x)"
