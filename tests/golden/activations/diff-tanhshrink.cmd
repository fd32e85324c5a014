$GRADBOX diff -f examples/activations.grad "tanhshrink(x)"
