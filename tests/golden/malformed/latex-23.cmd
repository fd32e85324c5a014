$GRADBOX check --wrt x 'x^2' '&'
