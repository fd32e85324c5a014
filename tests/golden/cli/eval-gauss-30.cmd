$GRADBOX eval --digits 25 "exp(-x^2)" x=30
