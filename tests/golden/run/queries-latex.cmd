$GRADBOX run --latex tests/golden/run/queries.grad
