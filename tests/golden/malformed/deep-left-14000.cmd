t=$(mktemp); $GRADBOX check --wrt x x "$(printf '%.0s\\left(' $(seq 1 14000))x" 2>"$t"; s=$?; cut -c1-200 "$t" >&2; rm -f "$t"; exit $s
