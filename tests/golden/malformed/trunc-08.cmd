$GRADBOX eval -- 'piecewise(x < 0'
