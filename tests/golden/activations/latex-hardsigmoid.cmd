$GRADBOX diff --latex -f examples/activations.grad "hardsigmoid(x)"
