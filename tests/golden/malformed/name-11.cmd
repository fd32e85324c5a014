$GRADBOX eval x=1 y=2 -- 'tanh(1, 2, 3)'
