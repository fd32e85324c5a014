$GRADBOX eval --digits 0 "x"
