$GRADBOX eval x=1 y=2 -- '2x + 1'
