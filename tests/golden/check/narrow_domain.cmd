$GRADBOX check --wrt x 'log(x - 100)' '1/(x - 100)'
