$GRADBOX check 'x^2'
