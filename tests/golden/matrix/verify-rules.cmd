$GRADBOX verify --wrt W -f examples/net.grad 'sum(exp(W*x)) + sum(log(1 + z)) + sum(tanh(W*x)) + sum(softplus(W*x)) + tr(diag(x)*W) + sum(z.^3) + dot(x, W*x)'
