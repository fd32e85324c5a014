GRADBOX_MAX_NODES=150 $GRADBOX eval 'diff(diff(sigmoid(x)^x^x^x^x^x^x^x^x^x^x^x^x^x^x*tanh(x)^x^x^x^x^x^x, x), x)' x=1/2
