$GRADBOX diff --latex -f examples/activations.grad "tanh(x)"
