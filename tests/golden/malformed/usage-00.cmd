$GRADBOX eval x 'x=abc'
