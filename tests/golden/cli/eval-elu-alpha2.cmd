$GRADBOX eval -f examples/hw3-activations.grad "diff(sigma3(x), x)" x=0 alpha=2
