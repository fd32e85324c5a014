printf '%.0s(' $(seq 1 100000) > /tmp/gb-golden-deep.grad; $GRADBOX print -f /tmp/gb-golden-deep.grad x; echo "exit $?"; rm -f /tmp/gb-golden-deep.grad
