$GRADBOX smooth 'x*abs(x)'
