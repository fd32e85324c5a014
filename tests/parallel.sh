#!/bin/sh
# parallel.sh - gradbox batch at scale: as a GNU parallel --pipe filter,
# and interrupted by SIGTERM (with -o, and on stdout).
#
# Usage: tests/parallel.sh /path/to/gradbox
# GNU parallel (Debian package `parallel`) is installed through
# scripts/ensure-deps.sh when we are root; otherwise that part is skipped
# with a message. The statements are bench/data/batch10k.txt wrapped in
# `show diff(LINE, x)`.
set -u
G=$1
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
say() { echo "parallel.sh: $*"; }
bad() { say "FAIL: $*"; fail=1; }

sed -n '1,2000s/.*/show diff(&, x)/p' "$top/bench/data/batch10k.txt" > "$tmp/stmts"

# --- 1. GNU parallel --pipe: the same records as one process
if ! command -v parallel >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	sh "$top/scripts/ensure-deps.sh" parallel >/dev/null 2>&1
fi
if ! command -v parallel >/dev/null 2>&1; then
	say "SKIP: GNU parallel is not installed (as root: scripts/ensure-deps.sh parallel)"
else
	# line numbers restart in every chunk: compare without them
	strip() { sed 's/"line":[0-9]*,//g'; }
	"$G" batch --no-times - < "$tmp/stmts" 2>/dev/null | strip > "$tmp/one"
	parallel --will-cite --pipe -k -N 250 -j 2 "$G" batch --no-times - \
		< "$tmp/stmts" 2>/dev/null | strip > "$tmp/many"
	if [ "$(wc -l < "$tmp/one")" -ne 2000 ]; then
		bad "one process wrote $(wc -l < "$tmp/one") records, not 2000"
	elif ! cmp -s "$tmp/one" "$tmp/many"; then
		bad "parallel --pipe wrote other records"
	else
		say "ok: parallel --pipe -N 250 -j 2: the same 2000 records"
	fi
fi

# --- 2. SIGTERM in the middle of a large batch
# 40 files of 200 statements: records appear file by file
split -l 200 "$tmp/stmts" "$tmp/chunk"
for i in 1 2 3 4; do
	for c in "$tmp"/chunk*; do cp "$c" "$tmp/part$i${c##*/}.grad"; done
done
# waits (up to 10 s) until the glob $1 names a file that is not empty
until_written() {
	k=0
	while [ $k -lt 200 ]; do
		for f in $1; do [ -s "$f" ] && return 0; done
		sleep 0.05
		k=$((k + 1))
	done
}
"$G" batch --no-times -j 2 "$tmp"/part*.grad > "$tmp/full" 2>/dev/null
full=$(wc -l < "$tmp/full")
echo "old contents" > "$tmp/out.jsonl"
"$G" batch -j 2 -o "$tmp/out.jsonl" "$tmp"/part*.grad 2>/dev/null &
pid=$!
until_written "$tmp/out.jsonl.*"
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
st=$?
n=$(wc -l < "$tmp/out.jsonl")
if [ "$(cat "$tmp/out.jsonl")" = "old contents" ]; then
	say "ok: -o killed (status $st): the old file is intact"
elif [ "$n" -eq "$full" ]; then
	say "ok: -o finished before the signal: a complete new file"
else
	bad "-o left a torn file ($n lines of $full)"
fi
if ls "$tmp"/out.jsonl.* >/dev/null 2>&1; then
	bad "-o left its temporary file: $(ls "$tmp"/out.jsonl.*)"
fi

"$G" batch -j 2 "$tmp"/part*.grad > "$tmp/partial" 2>/dev/null &
pid=$!
until_written "$tmp/partial"
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ -s "$tmp/partial" ] && [ "$(tail -c 1 "$tmp/partial" | od -An -c | tr -d ' ')" != '\n' ]; then
	bad "stdout ends in a torn record"
elif grep -v '^{"file":.*}$' "$tmp/partial" >/dev/null; then
	bad "stdout holds a line that is not a whole record"
else
	say "ok: stdout killed after $(wc -l < "$tmp/partial") of $full records, all whole"
fi
exit $fail
