$GRADBOX diff --json "relu(x)"
