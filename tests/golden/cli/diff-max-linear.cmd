$GRADBOX diff "max(x, 2*x)"
