$GRADBOX diff -f examples/activations.grad "softplus_beta(x)"
