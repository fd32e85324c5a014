f=$(mktemp); head -c 70000000 /dev/zero | tr "\\0" x > "$f"; $GRADBOX eval -f "$f" x 2>"$f.err"; s=$?; sed "s|$f|INPUT|g" "$f.err" >&2; rm -f "$f" "$f.err"; exit $s
