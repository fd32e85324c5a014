$GRADBOX print 'exp(1) + e + piecewise() + piecewise(x^2 < x^2: 1, otherwise: 2)'
