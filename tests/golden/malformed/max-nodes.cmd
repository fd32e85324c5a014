t=$(mktemp); $GRADBOX diff --max-nodes 120 'sigmoid(x)^x^x^x^x^x^x^x^x^x^x^x^x^x^x*tanh(x)^x^x^x^x^x^x' 2>"$t"; s=$?; cut -c1-200 "$t" >&2; rm -f "$t"; exit $s
