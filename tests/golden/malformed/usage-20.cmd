$GRADBOX eval -q x
