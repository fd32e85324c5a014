$GRADBOX eval
