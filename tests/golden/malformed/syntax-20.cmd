$GRADBOX eval x=1 y=2 -- 'x ! 2'
