$GRADBOX smooth --latex 'relu(x)'
