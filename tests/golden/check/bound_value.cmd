$GRADBOX check 'log(1 + exp(beta*x))/beta' 'sigmoid(2*x)' --wrt x beta=2
