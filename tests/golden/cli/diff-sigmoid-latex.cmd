$GRADBOX diff --latex "sigmoid(x)"
