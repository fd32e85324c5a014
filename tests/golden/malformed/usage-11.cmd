$GRADBOX diff --wrt
