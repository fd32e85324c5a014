$GRADBOX run tests/golden/run/else.grad
