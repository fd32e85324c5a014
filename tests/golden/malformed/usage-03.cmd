$GRADBOX eval x 'x=y'
