$GRADBOX diff --order 1001 x
