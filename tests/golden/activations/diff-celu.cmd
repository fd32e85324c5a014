$GRADBOX diff -f examples/activations.grad "celu(x)"
