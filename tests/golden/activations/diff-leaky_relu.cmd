$GRADBOX diff -f examples/activations.grad "leaky_relu(x)"
