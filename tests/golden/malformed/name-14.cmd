$GRADBOX eval x=1 y=2 -- 'sqrt(x, 2)'
