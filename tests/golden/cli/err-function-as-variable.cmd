$GRADBOX print 'exp + 1'
