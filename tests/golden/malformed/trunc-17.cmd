$GRADBOX eval -- '2.'
