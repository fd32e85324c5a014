$GRADBOX eval -- 'exp(10^10)'
