$GRADBOX print
