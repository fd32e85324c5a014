$GRADBOX diff --latex -f examples/activations.grad "softplus(x)"
