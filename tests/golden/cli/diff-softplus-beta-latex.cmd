$GRADBOX diff --latex -f examples/hw3.grad "sigma2(x)"
