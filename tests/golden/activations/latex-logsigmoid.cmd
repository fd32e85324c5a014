$GRADBOX diff --latex -f examples/activations.grad "logsigmoid(x)"
