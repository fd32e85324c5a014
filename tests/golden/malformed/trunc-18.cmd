$GRADBOX eval -- 'a b c +'
