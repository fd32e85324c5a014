$GRADBOX check -f examples/activations.grad --wrt x 'logsigmoid(x)' '\frac{1}{e^x + 1}'
