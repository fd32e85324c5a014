$GRADBOX diff --wrt beta -f examples/hw3.grad "sigma2(x)"
