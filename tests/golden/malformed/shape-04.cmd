$GRADBOX eval 'W=[[1, 2], [3]]' -- 'log(W)'
