$GRADBOX print "(x - 1)*(x - 1) + 2*x/4 - exp(0)"
