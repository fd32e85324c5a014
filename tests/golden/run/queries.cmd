$GRADBOX run tests/golden/run/queries.grad
