$GRADBOX check --wrt x 'x^2' '\left( x'
