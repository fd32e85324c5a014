$GRADBOX run tests/golden/run/errors.grad
