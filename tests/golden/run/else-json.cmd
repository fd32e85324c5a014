$GRADBOX run --json tests/golden/run/else.grad
