$GRADBOX eval 'sum([1,2,3]) + tr([[1,2],[3,4]]) + dot([1,2],[3,4])'
