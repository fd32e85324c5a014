$GRADBOX eval "x + 1"
