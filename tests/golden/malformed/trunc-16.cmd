$GRADBOX eval -- '0x'
