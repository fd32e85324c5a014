$GRADBOX diff -f examples/hw3-activations.grad "sigma4(x)"
