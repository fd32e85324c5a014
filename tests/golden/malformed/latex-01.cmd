$GRADBOX check --wrt x 'x^2' '\frac{1}'
