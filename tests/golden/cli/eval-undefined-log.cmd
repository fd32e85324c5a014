$GRADBOX eval "log(x)" x=-1
