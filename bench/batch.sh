#!/bin/sh
# batch.sh - W5 through `gradbox batch`: every line of bench/data/batch10k.txt
# as a statement `show diff(LINE, x)`, with its peak memory.
#
# Usage: bench/batch.sh BUILD_DIR
# Runs the workload as one file, as 8 files with -j 1 and -j 2 (batch runs
# one context per file, so -j parallelises across files), and from stdin
# (one context per line). Prints "@@ W5-batch CASE t=SECONDS rss_kb=KB";
# fails when a peak RSS reaches 64 MB. Needs /usr/bin/time (GNU time).
set -eu
build=$1
G=$build/gradbox
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
limit_kb=65536

sed 's/.*/show diff(&, x)/' "$top/bench/data/batch10k.txt" > "$tmp/w5.grad"
mkdir "$tmp/parts"
split -n l/8 -d --additional-suffix=.grad "$tmp/w5.grad" "$tmp/parts/w5-"

status=0
measure() {	# case, then the command (its stdin from $in)
	name=$1
	shift
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" < "$in" > "$tmp/out" 2>/dev/null || true
	read -r t kb < "$tmp/time"
	n=$(wc -l < "$tmp/out")
	printf '@@\tW5-batch\t%s\tt=%s\trss_kb=%s\trecords=%s\n' "$name" "$t" "$kb" "$n"
	if [ "$kb" -ge "$limit_kb" ]; then
		echo "batch.sh: $name: peak RSS $kb KB is not under 64 MB" >&2
		status=1
	fi
}
in=/dev/null
measure "8 files -j 1" "$G" batch --no-times -j 1 "$tmp"/parts/*.grad
measure "8 files -j 2" "$G" batch --no-times -j 2 "$tmp"/parts/*.grad
in=$tmp/w5.grad
measure "stdin -j 1" "$G" batch --no-times -j 1 -
measure "stdin -j 2" "$G" batch --no-times -j 2 -
# one file is one context: every statement's nodes stay (not held to 64 MB)
in=/dev/null
/usr/bin/time -f '%e %M' -o "$tmp/time" "$G" batch --no-times "$tmp/w5.grad" > /dev/null 2>&1 || true
read -r t kb < "$tmp/time"
printf '@@\tW5-batch\t%s\tt=%s\trss_kb=%s\n' "1 file (one context)" "$t" "$kb"
exit $status
