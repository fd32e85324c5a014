$GRADBOX diff -f examples/activations.grad "elu(x)"
