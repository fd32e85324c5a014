$GRADBOX eval ''
