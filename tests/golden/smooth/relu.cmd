$GRADBOX smooth 'relu(x)'
