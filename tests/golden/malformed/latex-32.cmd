$GRADBOX check --wrt x 'x^2' '\lvert x'
