$GRADBOX --version
