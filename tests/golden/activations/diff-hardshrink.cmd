$GRADBOX diff -f examples/activations.grad "hardshrink(x)"
