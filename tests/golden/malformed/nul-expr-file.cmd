t=$(mktemp); printf 'y = 1\000\n' > "$t"; $GRADBOX eval -f "$t" y 2>"$t.err"; s=$?; sed "s|$t|INPUT|g" "$t.err" >&2; rm -f "$t" "$t.err"; exit $s
