d=$(mktemp -d)
$GRADBOX grade -o "$d/report.jsonl" examples/hw3.grad examples/submissions/wrong.tex; echo "exit $?"
cat "$d/report.jsonl"; rm -rf "$d"
