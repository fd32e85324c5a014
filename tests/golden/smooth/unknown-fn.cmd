$GRADBOX smooth 'relux(x)'
