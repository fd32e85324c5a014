$GRADBOX eval -- '1e+'
