# -o replaces the file atomically and leaves no temporary beside it
d=$(mktemp -d); echo old > "$d/out.jsonl"
$GRADBOX batch --no-times -o "$d/out.jsonl" tests/golden/batch/mixed.grad; echo "exit $?"
wc -l < "$d/out.jsonl"; ls "$d"; rm -rf "$d"
