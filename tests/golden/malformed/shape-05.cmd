$GRADBOX eval 'x=[1, 2]' -- 'x'\'' + x'
