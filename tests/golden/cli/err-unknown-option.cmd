$GRADBOX eval -x "x"
