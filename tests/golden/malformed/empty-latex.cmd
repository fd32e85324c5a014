$GRADBOX check --wrt x x ''
