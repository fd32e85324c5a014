printf "f(x) = x^2\ng(x) = sigmoyd(x)\nh(x) = (x\n\nk(x) = 1\n" > /tmp/gb-golden-bad.grad; $GRADBOX eval -f /tmp/gb-golden-bad.grad "f(2)"; echo "exit $?"; rm -f /tmp/gb-golden-bad.grad
