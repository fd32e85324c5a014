$GRADBOX check --wrt x 'x^2' 'e^{-x'
