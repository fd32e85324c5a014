$GRADBOX eval -- 'exp(exp(exp(10)))'
