$GRADBOX eval x=1 y=2 -- '\frac{1}{2}'
