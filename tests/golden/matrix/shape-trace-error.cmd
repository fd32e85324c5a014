$GRADBOX print -f examples/net.grad 'tr(x) + sum(W)'
