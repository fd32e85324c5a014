$GRADBOX verify 'x +'
