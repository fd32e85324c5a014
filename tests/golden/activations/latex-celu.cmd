$GRADBOX diff --latex -f examples/activations.grad "celu(x)"
