$GRADBOX check --wrt x 'x^2' '\frac{\frac{1}{2}}{'
