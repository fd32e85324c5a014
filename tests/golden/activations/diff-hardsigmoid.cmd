$GRADBOX diff -f examples/activations.grad "hardsigmoid(x)"
