$GRADBOX eval -- '10^10^10^10'
