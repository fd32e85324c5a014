$GRADBOX smooth -f examples/activations.grad 'hardshrink(x)'
