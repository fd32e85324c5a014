$GRADBOX diff "step(x)"
