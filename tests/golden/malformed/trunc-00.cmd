$GRADBOX eval -- '2*(x + 1'
