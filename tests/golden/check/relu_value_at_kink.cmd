$GRADBOX check --wrt x 'relu(x)' 'piecewise(x <= 0: 0, otherwise: 1)'
