$GRADBOX eval x=1 y=2 -- 'softmax2(x)'
