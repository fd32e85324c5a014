$GRADBOX diff -f examples/activations.grad "selu(x)"
