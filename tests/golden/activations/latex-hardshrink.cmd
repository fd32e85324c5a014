$GRADBOX diff --latex -f examples/activations.grad "hardshrink(x)"
