$GRADBOX diff -f examples/activations.grad "softsign(x)"
