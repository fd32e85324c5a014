$GRADBOX eval -f /nonexistent.grad "x" x=1
