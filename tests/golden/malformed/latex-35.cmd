$GRADBOX check --wrt x 'x^2' '2 \times'
