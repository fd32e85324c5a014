$GRADBOX eval 'W=[[1, 2], [3, 4]]' 'x=[1, 2, 3]' -- 'W*x'
