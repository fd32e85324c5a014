$GRADBOX check --wrt x 'relu(x)' 'piecewise(x < 0: 0, x > 0: 1)'
