$GRADBOX check -f examples/activations.grad --wrt x 'softplus_beta(x)' '\frac{e^{\beta x}}{1 + e^{\beta x}}'
