$GRADBOX check 'x^3' '3*x^2'
