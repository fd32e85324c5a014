#!/bin/sh
# run.sh - golden tests of the command line.
#
# Usage: tests/golden/run.sh "GRADBOX COMMAND"   (may include a wrapper,
#        e.g. "valgrind -q --error-exitcode=99 /path/to/gradbox")
#
# Every tests/golden/*/NAME.cmd holds one shell command line that uses
# $GRADBOX; its expected stdout, stderr and exit status are in NAME.out:
# stdout first, then a line "--- stderr", the stderr text, then a line
# "--- exit N". Set GOLDEN_UPDATE=1 to rewrite the .out files from the
# current behaviour (then review the diff before committing).
set -u
GRADBOX=$1
export GRADBOX
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
for cmd in "$here"/*/*.cmd; do
	[ -f "$cmd" ] || continue
	out=${cmd%.cmd}.out
	name=${cmd#"$here"/}
	name=${name%.cmd}
	(
		sh "$cmd" >"$tmp/stdout" 2>"$tmp/stderr"
		echo "$?" >"$tmp/status"
	)
	{
		cat "$tmp/stdout"
		echo "--- stderr"
		cat "$tmp/stderr"
		echo "--- exit $(cat "$tmp/status")"
	} >"$tmp/got"
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$tmp/got" "$out"
	fi
	if [ -f "$out" ] && cmp -s "$tmp/got" "$out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name"
		if [ -f "$out" ]; then
			diff -u "$out" "$tmp/got" | head -40
		else
			echo "  (no $out)"
			cat "$tmp/got"
		fi
	fi
done
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
