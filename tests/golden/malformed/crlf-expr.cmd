$GRADBOX eval "$(printf 'x +\r\n')" x=1
