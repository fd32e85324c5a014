$GRADBOX eval 'x=[1, 2]' 'y=[3, 4]' -- 'x*y'
