$GRADBOX eval --convention pytorch "diff(relu(x), x)" x=0
