$GRADBOX smooth 'relu(x^2 - 2)'
