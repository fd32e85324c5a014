$GRADBOX eval --digits 40 "log(2)"
