$GRADBOX eval x=1 y=2 -- 'piecewise(,)'
