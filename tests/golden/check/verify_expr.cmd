$GRADBOX verify 'x*sigmoid(x)'
