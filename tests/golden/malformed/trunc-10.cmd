$GRADBOX eval -- 'x *'
