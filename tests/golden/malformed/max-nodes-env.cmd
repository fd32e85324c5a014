t=$(mktemp); GRADBOX_MAX_NODES=120 $GRADBOX diff 'sigmoid(x)^x^x^x^x^x^x^x^x^x^x^x^x^x^x*tanh(x)^x^x^x^x^x^x' 2>"$t"; s=$?; cut -c1-200 "$t" >&2; rm -f "$t"; exit $s
