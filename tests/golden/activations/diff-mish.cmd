$GRADBOX diff -f examples/activations.grad "mish(x)"
