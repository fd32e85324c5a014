$GRADBOX diff "relu(x)"
