$GRADBOX check -f examples/activations.grad --wrt x 'logsigmoid(x)' -- '-1/(exp(x) + 1)'
