$GRADBOX eval -- '-'
