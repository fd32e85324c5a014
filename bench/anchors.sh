#!/bin/sh
# anchors.sh - `make bench-anchors`: gradbox and GiNaC on the same
# workloads, in one run, as a table of times and ratios.
#
# Usage: bench/anchors.sh BUILD_DIR
# The GiNaC programs are the team's anchor benchmarks in ../shared/anchors
# (or $ANCHORS); they are compiled into BUILD_DIR/anchors, never copied
# into this tree. GiNaC (libginac-dev) is installed when missing and we
# are root. Every GiNaC process is capped at $CAP seconds (default 60).
set -u
build=$1
anchors=${ANCHORS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/anchors}
cap=${CAP:-60}
out=$build/anchors
mkdir -p "$out"

if [ ! -d "$anchors/ginac" ]; then
	echo "bench-anchors: no anchor programs at $anchors (set ANCHORS)" >&2
	exit 1
fi
if ! pkg-config --exists ginac 2>/dev/null; then
	sh scripts/ensure-deps.sh libginac-dev g++ || exit 1
fi
for w in w2 w3 w4 w5 w6; do
	if [ ! -x "$out/$w" ] || [ "$anchors/ginac/$w.cpp" -nt "$out/$w" ]; then
		g++ -O2 -std=c++17 -o "$out/$w" "$anchors/ginac/$w.cpp" \
			$(pkg-config --cflags --libs ginac) || exit 1
	fi
done

# One measurement per line: workload, case, seconds (or TIMEOUT).
ginac() {
	r=$(timeout "$cap" "$@" 2>/dev/null | grep '^@@')
	if [ -z "$r" ]; then
		echo "TIMEOUT"
	else
		echo "$r" | awk -F'\t' '{ for (i = 4; i <= NF; i++) if ($i ~ /^t=/) { sub(/^t=/, "", $i); print $i; exit } }'
	fi
}
gradbox() {
	grep -F "$(printf '@@\t%s\t%s\t' "$1" "$2")" "$build/bench.tsv" |
		awk -F'\t' '{ for (i = 4; i <= NF; i++) if ($i ~ /^t=/) { sub(/^t=/, "", $i); print $i; exit } }'
}

"$build/bench/bench" > "$build/bench.tsv" || exit 1

printf '%-6s %-22s %12s %12s %10s\n' workload case gradbox GiNaC ratio
row() {	# workload, case, ginac seconds
	g=$(gradbox "$1" "$2")
	awk -v w="$1" -v c="$2" -v g="$g" -v n="$3" 'BEGIN {
		if (n == "TIMEOUT") r = "timeout"; else if (g > 0) r = sprintf("%.1fx", n / g); else r = "-";
		printf "%-6s %-22s %12s %12s %10s\n", w, c, g "s", (n == "TIMEOUT" ? ">" '"$cap"' "s" : n "s"), r }'
}
row W2 "n=20" "$(ginac "$out/w2" 20 | tail -1)"
for k in 10 50 200 1000; do
	row W3 "chain k=$k" "$(ginac "$out/w3" chain $k)"
done
for k in 10 50 200; do
	row W3 "resid k=$k" "$(ginac "$out/w3" resid $k)"
done
for n in 100 1000 10000; do
	row W4 "N=$n" "$(ginac "$out/w4" $n)"
done
row W5 "batch10000" "$(ginac "$out/w5" bench/data/batch10k.txt)"
w6=$(timeout "$cap" "$out/w6" 2>/dev/null | grep '^@@')
for c in softplus1 sigmoid10; do
	row W6 "$c" "$(echo "$w6" | grep -F "$c" | awk -F'\t' '{ for (i = 4; i <= NF; i++) if ($i ~ /^t=/) { sub(/^t=/, "", $i); print $i } }')"
done
echo "(ratio = GiNaC time / gradbox time: above 1 means gradbox is faster)"
echo
echo "gradbox alone, same run:"
grep -E '^@@	(W0|W1|W3	resid k=1000|W5)	' "$build/bench.tsv" | cut -f2-
sh "$(dirname "$0")/batch.sh" "$build" | cut -f2-
