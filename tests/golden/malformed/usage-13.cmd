$GRADBOX diff
