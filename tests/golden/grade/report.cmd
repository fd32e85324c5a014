$GRADBOX grade examples/hw3.grad examples/submissions/right.tex examples/submissions/wrong.tex examples/submissions/malformed.tex examples/submissions/absent.tex
