$GRADBOX eval --digits 100001 x x=1
