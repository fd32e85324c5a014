$GRADBOX diff --max-nodes 0 x
