$GRADBOX smooth -f examples/activations.grad 'elu(x)'
