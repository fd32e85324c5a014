$GRADBOX check 'diff(x^3, x)' '3*x^2'
