$GRADBOX check -f examples/activations.grad --wrt x 'softplus_beta(x)' 'exp(beta*x)/(1 + exp(beta*x))'
