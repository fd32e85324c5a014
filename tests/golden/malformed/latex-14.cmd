$GRADBOX check --wrt x 'x^2' '\begin{foo} x \end{foo}'
