$GRADBOX eval --digits 25 "log(sigmoid(x))" x=-1000
