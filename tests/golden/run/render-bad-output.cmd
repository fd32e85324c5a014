$GRADBOX render -o out.pdf tests/golden/run/mini.grad
