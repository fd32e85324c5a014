$GRADBOX render --template tests/golden/run/mini.tex tests/golden/run/errors.grad
