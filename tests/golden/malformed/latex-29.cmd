$GRADBOX check --wrt x 'x^2' '\operatorname{foo}(x)'
