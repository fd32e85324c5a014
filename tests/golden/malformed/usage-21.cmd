$GRADBOX check x
