$GRADBOX diff "x*y"
