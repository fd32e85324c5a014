$GRADBOX diff -f examples/hw3.grad "sigma2(x)"
