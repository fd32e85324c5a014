$GRADBOX eval x=1 y=2 -- 'diff(x^2, 2)'
