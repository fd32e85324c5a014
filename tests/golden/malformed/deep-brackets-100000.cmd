t=$(mktemp); printf '%.0s[' $(seq 1 100000) > "$t"; printf 'x\n' >> "$t"; $GRADBOX print -f "$t" x 2>"$t.err"; s=$?; cut -c1-200 "$t.err" | sed "s|$t|INPUT|g" >&2; rm -f "$t" "$t.err"; exit $s
