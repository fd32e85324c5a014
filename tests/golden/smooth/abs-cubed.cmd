$GRADBOX smooth 'abs(x)^3'
