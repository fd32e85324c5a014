$GRADBOX diff -f examples/hw3.grad "sigma4(x)"
