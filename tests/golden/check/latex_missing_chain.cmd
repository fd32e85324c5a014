$GRADBOX check -f examples/activations.grad --wrt x 'softplus_beta(x)' '\sigma(x)'
