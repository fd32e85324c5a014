$GRADBOX diff "sign(x)"
