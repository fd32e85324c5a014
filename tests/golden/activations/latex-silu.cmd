$GRADBOX diff --latex -f examples/activations.grad "silu(x)"
