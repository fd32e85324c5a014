$GRADBOX eval --digits 8 "1 - z" "z=[1/2, 1/4, 2]"
