$GRADBOX check -f examples/activations.grad --wrt x 'softplus_beta(x)' 'sigmoid(beta*x)/beta'
