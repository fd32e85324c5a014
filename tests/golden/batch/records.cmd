$GRADBOX batch --no-times tests/golden/batch/mixed.grad tests/golden/batch/absent.grad
