$GRADBOX diff -f examples/activations.grad "hardswish(x)"
