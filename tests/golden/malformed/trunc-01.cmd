$GRADBOX eval -- 'sigmoid('
