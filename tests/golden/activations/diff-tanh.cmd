$GRADBOX diff -f examples/activations.grad "tanh(x)"
