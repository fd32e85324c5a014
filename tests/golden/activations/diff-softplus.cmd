$GRADBOX diff -f examples/activations.grad "softplus(x)"
