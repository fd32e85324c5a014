f=$(mktemp); printf 'f(x) = \355\240\200\n' > "$f"; $GRADBOX eval -f "$f" 'f(1)' x=1 y=1 2>"$f.err"; s=$?; sed "s|$f|INPUT|g" "$f.err" >&2; rm -f "$f" "$f.err"; exit $s
