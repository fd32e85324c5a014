f=$(mktemp); printf 'frobnicate x\n' > "$f"; $GRADBOX eval -f "$f" 'x' x=1 y=1 2>"$f.err"; s=$?; sed "s|$f|INPUT|g" "$f.err" >&2; rm -f "$f" "$f.err"; exit $s
