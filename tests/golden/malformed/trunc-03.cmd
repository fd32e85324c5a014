$GRADBOX eval -- 'x^'
