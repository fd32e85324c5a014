$GRADBOX diff --latex -f examples/activations.grad "hardtanh(x)"
