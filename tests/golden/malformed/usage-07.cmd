$GRADBOX eval --digits abc x x=1
