$GRADBOX diff -f examples/activations.grad "sigmoid(x)"
