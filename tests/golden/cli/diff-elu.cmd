$GRADBOX diff -f examples/hw3.grad "sigma3(x)"
