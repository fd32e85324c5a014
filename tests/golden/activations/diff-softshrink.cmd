$GRADBOX diff -f examples/activations.grad "softshrink(x)"
