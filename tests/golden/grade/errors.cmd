$GRADBOX grade examples/hw3.grad; $GRADBOX grade tests/golden/batch/mixed.grad examples/submissions/right.tex
