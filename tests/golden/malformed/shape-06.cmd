$GRADBOX eval 'x=1' -- '[x, [1, 2]]'
