$GRADBOX diff -f examples/activations.grad "silu(x)"
