$GRADBOX diff --latex -f examples/activations.grad "hardswish(x)"
