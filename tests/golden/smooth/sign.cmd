$GRADBOX smooth 'sign(x)'
