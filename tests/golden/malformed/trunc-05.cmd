$GRADBOX eval -- '[1, 2'
