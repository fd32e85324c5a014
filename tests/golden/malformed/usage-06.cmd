$GRADBOX eval --digits -1 x x=1
