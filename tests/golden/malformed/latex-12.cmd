$GRADBOX check --wrt x 'x^2' '\begin{cases} 1 & x > 0'
