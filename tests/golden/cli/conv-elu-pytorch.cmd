$GRADBOX diff --convention pytorch -f examples/activations.grad "elu(x)"
