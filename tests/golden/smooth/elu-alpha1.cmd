$GRADBOX smooth -f examples/activations.grad 'elu(x)' alpha=1
