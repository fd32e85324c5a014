$GRADBOX diff --latex -f examples/activations.grad "softshrink(x)"
