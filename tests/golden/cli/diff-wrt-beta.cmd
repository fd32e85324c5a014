$GRADBOX diff --wrt beta -f examples/hw3-activations.grad "sigma2(x)"
