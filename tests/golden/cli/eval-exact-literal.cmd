$GRADBOX eval --digits 30 "0.1 + 0.2 - 3/10"
