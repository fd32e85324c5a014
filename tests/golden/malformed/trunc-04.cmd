$GRADBOX eval -- '('
