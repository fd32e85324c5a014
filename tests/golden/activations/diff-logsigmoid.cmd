$GRADBOX diff -f examples/activations.grad "logsigmoid(x)"
