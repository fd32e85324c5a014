$GRADBOX print --latex "1/(1 + exp(-beta*x))"
