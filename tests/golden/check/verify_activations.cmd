$GRADBOX verify examples/activations.grad
