$GRADBOX diff --order 3 "sigmoid(x)"
