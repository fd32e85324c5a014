$GRADBOX smooth 'piecewise(x > 0: x*log(x), otherwise: 0)'
