$GRADBOX diff -f examples/activations.grad "hardtanh(x)"
