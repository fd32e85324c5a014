$GRADBOX eval -- '(1/3)^(10^9)'
