$GRADBOX check --wrt x 'x^2' '\max(0, x'
