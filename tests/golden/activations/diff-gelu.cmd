$GRADBOX diff -f examples/activations.grad "gelu(x)"
