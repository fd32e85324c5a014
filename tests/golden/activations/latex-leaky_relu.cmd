$GRADBOX diff --latex -f examples/activations.grad "leaky_relu(x)"
