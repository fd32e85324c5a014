$GRADBOX smooth 'relu(x - cos(x))'
