$GRADBOX eval "piecewise(x < 0: -x, otherwise: x^2)" x=-3/2
