$GRADBOX eval x 'x=1/0'
