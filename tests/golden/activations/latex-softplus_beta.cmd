$GRADBOX diff --latex -f examples/activations.grad "softplus_beta(x)"
