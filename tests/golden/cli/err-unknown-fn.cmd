$GRADBOX eval "sigmoyd(x)" x=1
