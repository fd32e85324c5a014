$GRADBOX print "2x + 1"
