$GRADBOX print --latex 'ln + cosH*Max + x_max'
