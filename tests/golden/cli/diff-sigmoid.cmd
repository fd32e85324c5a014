$GRADBOX diff "sigmoid(x)"
