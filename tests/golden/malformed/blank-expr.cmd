$GRADBOX eval '   '
