$GRADBOX smooth -f examples/activations.grad relu softplus elu logsigmoid
