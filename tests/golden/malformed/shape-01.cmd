$GRADBOX eval 'x=[1, 2]' 'y=[1, 2, 3]' -- 'x + y'
