$GRADBOX eval -- 'x +'
