$GRADBOX eval "diff(relu(x), x)" x=0
