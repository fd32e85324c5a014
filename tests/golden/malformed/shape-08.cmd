$GRADBOX eval  -- '[1, 2] + [1, 2, 3]'
