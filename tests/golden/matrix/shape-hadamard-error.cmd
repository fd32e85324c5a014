$GRADBOX print -f examples/net.grad 'W .* sigmoid(x)'
