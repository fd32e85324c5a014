$GRADBOX eval -- 'log(1 + exp(x)'
