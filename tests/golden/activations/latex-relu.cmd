$GRADBOX diff --latex -f examples/activations.grad "relu(x)"
