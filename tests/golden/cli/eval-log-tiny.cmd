$GRADBOX eval --digits 20 "log(x)" x=1e-400
