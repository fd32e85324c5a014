$GRADBOX batch; $GRADBOX batch - examples/hw3.grad; $GRADBOX batch -j 0 examples/hw3.grad
