$GRADBOX eval -- 'max(x,'
