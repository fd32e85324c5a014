$GRADBOX eval --digits 30 "softplus(x)" x=-800
