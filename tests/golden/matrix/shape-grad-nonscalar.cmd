$GRADBOX print -f examples/net.grad 'grad(z, x)'
