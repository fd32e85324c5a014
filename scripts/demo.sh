#!/bin/sh
# demo.sh - what `make demo` shows: the homework's activation functions,
# their derivatives (plain and LaTeX), where they fail to exist, and
# values at a few points, all computed by gradbox from examples/hw3.grad.
#
# Usage: scripts/demo.sh GRADBOX BUILD_DIR
set -eu
gb=$1
out=$2
file=examples/hw3.grad

show() {
	printf '$ gradbox %s\n' "$*"
	"$gb" "$@" 2>&1 || true
	echo
}

echo "== gradbox demo: Homework 3, question 1 (activation functions)"
echo
for f in sigma1 sigma2 sigma3 sigma4; do
	show print -f "$file" "$f(x)"
	show diff -f "$file" "$f(x)"
	show diff --latex -f "$file" "$f(x)"
done
show eval -f "$file" 'diff(sigma1(x), x)' x=0
show eval -f "$file" 'diff(sigma3(x), x)' x=0 alpha=1
show eval --digits 30 -f "$file" 'diff(sigma2(x), x)' x=800 beta=1
show eval --digits 30 -f "$file" 'diff(sigma4(x), x)' x=-1000
show diff --order 3 'sigmoid(x)'
echo "(transcript also written to $out/demo.txt)"
