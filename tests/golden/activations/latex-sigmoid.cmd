$GRADBOX diff --latex -f examples/activations.grad "sigmoid(x)"
