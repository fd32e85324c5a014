$GRADBOX eval x y
