$GRADBOX diff -f examples/activations.grad "relu6(x)"
