$GRADBOX eval -- 'x'\''*'
