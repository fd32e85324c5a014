$GRADBOX eval -f
