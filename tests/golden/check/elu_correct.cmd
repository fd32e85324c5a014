$GRADBOX check -f examples/activations.grad --wrt x 'elu(x)' 'piecewise(x > 0: 1, x < 0: alpha*exp(x))'
