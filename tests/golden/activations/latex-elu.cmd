$GRADBOX diff --latex -f examples/activations.grad "elu(x)"
