$GRADBOX diff --order 2 "tanh(x)"
