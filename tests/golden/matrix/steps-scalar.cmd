$GRADBOX diff --steps --wrt x 'log(1 + exp(3*x))'
