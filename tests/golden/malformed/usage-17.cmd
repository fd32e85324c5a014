$GRADBOX diff --max-nodes abc x
