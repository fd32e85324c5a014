$GRADBOX print --latex -f examples/net.grad 'ones(d)'\''*(W + I)*x + tr(diag(z))'
