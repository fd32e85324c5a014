cd tests/golden/run && $GRADBOX run param-range.grad; s=$?; $GRADBOX eval -f param-beta.grad "beta*x" beta=-1 x=2; echo "eval: $?"; $GRADBOX eval -f param-beta.grad "beta*x" beta=1/2 x=2; exit $s
