$GRADBOX diff --latex -f examples/activations.grad "tanhshrink(x)"
