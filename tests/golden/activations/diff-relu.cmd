$GRADBOX diff -f examples/activations.grad "relu(x)"
