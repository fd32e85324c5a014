$GRADBOX eval -- '2^(2^64)'
