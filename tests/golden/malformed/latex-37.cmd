$GRADBOX check --wrt x 'x^2' '\int x dx'
