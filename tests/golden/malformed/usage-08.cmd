$GRADBOX eval --digits
