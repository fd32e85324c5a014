$GRADBOX diff --latex -f examples/activations.grad "softsign(x)"
