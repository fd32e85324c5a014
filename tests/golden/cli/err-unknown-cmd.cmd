$GRADBOX frobnicate
