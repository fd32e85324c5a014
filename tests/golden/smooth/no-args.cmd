$GRADBOX smooth
