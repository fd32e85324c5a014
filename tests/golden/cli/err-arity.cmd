$GRADBOX eval "exp(x, 2)" x=1
