$GRADBOX print -f examples/net.grad '(W + I)*x - I*x + dot(x, y) + tr(W'\''*W) + sum(diag(W)) + ones(d)'\''*x'
