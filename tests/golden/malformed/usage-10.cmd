$GRADBOX diff --order -1 x
