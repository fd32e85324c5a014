$GRADBOX check --wrt x 'x^2' '\sqrt[3]{x'
