$GRADBOX eval x 'x='
