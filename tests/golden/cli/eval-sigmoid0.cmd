$GRADBOX eval "sigmoid(0)"
