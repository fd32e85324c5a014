$GRADBOX diff "tanh(x)"
