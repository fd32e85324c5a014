$GRADBOX eval -- 'x <'
