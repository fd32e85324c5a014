#!/bin/sh
# docs.sh - the documentation against the code, so that it cannot drift:
#
#   - man/gradbox.1 passes `mandoc -Tlint` or `groff -ww` (when present);
#   - every command of the CLI's table (`gradbox help`) has a subsection
#     in the man page and a case in the bash completion, and every option
#     its usage shows is in both;
#   - `gradbox help CMD` and `gradbox CMD --help` print the same usage;
#   - the EXAMPLES of the man page give the output shown there;
#   - docs/language.md: every example parses and means what it says, and
#     every function and operator of grammar/ is shown (tests/doccheck.c);
#   - docs/api.md shows docs/example.c verbatim;
#   - docs/architecture.md names every module of src/.
#
# Usage: tests/docs.sh GRADBOX DOCCHECK
set -u
GRADBOX=${1:?usage: tests/docs.sh GRADBOX DOCCHECK}
DOCCHECK=${2:?usage: tests/docs.sh GRADBOX DOCCHECK}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
man=man/gradbox.1
comp=completion/gradbox.bash
fail=0

no() {
	echo "docs: FAIL: $*"
	fail=$((fail + 1))
}

# The man page is well-formed.
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tlint -Wwarning "$man" >"$tmp/lint" 2>&1 ||
		{ cat "$tmp/lint"; no "mandoc -Tlint $man"; }
elif command -v groff >/dev/null 2>&1; then
	groff -ww -z -mandoc "$man" >"$tmp/lint" 2>&1
	[ -s "$tmp/lint" ] && { cat "$tmp/lint"; no "groff -ww $man"; }
else
	echo "docs: neither mandoc nor groff is installed; not linting $man"
fi

# The commands of the table, as `gradbox help` lists them.
"$GRADBOX" help >"$tmp/help" || no "gradbox help fails"
commands=$(sed -n 's/^  gradbox \([a-z][a-z-]*\).*/\1/p' "$tmp/help")
[ -n "$commands" ] || no "gradbox help lists no commands"
for c in $commands help; do
	"$GRADBOX" help "$c" >"$tmp/h1" 2>&1 || no "gradbox help $c fails"
	"$GRADBOX" "$c" --help >"$tmp/h2" 2>&1 || no "gradbox $c --help fails"
	cmp -s "$tmp/h1" "$tmp/h2" || no "gradbox help $c and gradbox $c --help differ"
	head -n 1 "$tmp/h1" | grep -q "^usage: gradbox $c\\b" ||
		no "gradbox help $c does not start with 'usage: gradbox $c'"
	[ "$(wc -l <"$tmp/h1")" -ge 2 ] || no "gradbox help $c has no summary"
	grep -q "^\\.Ss $c\$" "$man" || no "$man has no subsection '.Ss $c'"
	grep -q "^	$c)" "$comp" || no "$comp has no case for '$c'"
	grep -q "commands='[^']*\\<$c\\>" "$comp" || no "$comp does not offer '$c'"
	# Each option of the usage, in the man page and the completion.
	for opt in $(head -n 1 "$tmp/h1" | grep -o -- '--*[a-z][a-z-]*' | sort -u); do
		case $opt in --help | -f | --file) continue ;; esac
		esc=$(printf '%s' "$opt" | sed 's/^--/\\\\-/; s/^-//')
		sed -n "/^\\.Ss $c\$/,/^\\.S[sh] /p" "$man" | grep -q "Fl $esc\\>" ||
			no "$man: '$c' does not show option $opt"
		grep "^	$c)" "$comp" | grep -q -- "$opt\\>" ||
			no "$comp: '$c' does not complete $opt"
	done
done
# And no subsection for a command that does not exist.
for s in $(sed -n 's/^\.Ss \([a-z-]*\)$/\1/p' "$man"); do
	echo "$commands help" | tr ' ' '\n' | grep -qx "$s" ||
		no "$man documents '$s', which gradbox help does not list"
done

# The examples of the man page: '$ gradbox ...' then its standard output
# and standard error, until the next '$' line or the end of the display.
awk '
	/^\.Sh EXAMPLES/ { ex = 1; next }
	/^\.Sh / { ex = 0 }
	ex && /^\.Bd -literal/ { lit = 1; next }
	ex && /^\.Ed/ { lit = 0; next }
	ex && lit { gsub(/\\e/, "\\"); print }
' "$man" >"$tmp/examples"
n=0
while IFS= read -r line; do
	case $line in
	'$ '*)
		n=$((n + 1))
		printf '%s\n' "${line#\$ }" >"$tmp/cmd.$n"
		: >"$tmp/want.$n" ;;
	*)
		[ "$n" -gt 0 ] && printf '%s\n' "$line" >>"$tmp/want.$n" ;;
	esac
done <"$tmp/examples"
[ "$n" -gt 0 ] || no "$man has no examples"
mkdir "$tmp/bin"
ln -s "$GRADBOX" "$tmp/bin/gradbox"
i=1
while [ "$i" -le "$n" ]; do
	# stdout, then stderr (their interleaving depends on buffering)
	(cd examples && PATH=$tmp/bin:$PATH sh "$tmp/cmd.$i") >"$tmp/got" 2>"$tmp/err"
	cat "$tmp/err" >>"$tmp/got"
	cmp -s "$tmp/got" "$tmp/want.$i" || {
		no "the man page example '$(cat "$tmp/cmd.$i")' prints:"
		diff -u "$tmp/want.$i" "$tmp/got" | sed 1,2d
	}
	i=$((i + 1))
done

# The README's examples: in its ``` displays, each '$ ...gradbox...' line
# (but the GNU parallel recipes) and what follows it up to the next '$'
# line, a blank line or the display's end: standard output, then standard
# error. "..." elides: a line of its own stands for any lines, within a
# line for any text.
awk '
	/^```/ { disp = !disp; if (n) close(f); n_open = 0; next }
	!disp { next }
	/^\$ / && /gradbox/ && !/parallel/ {
		n++; f = tmp "/rcmd." n; print substr($0, 3) > f; close(f)
		f = tmp "/rwant." n; printf "" > f; n_open = 1; next
	}
	/^\$ / || /^$/ { n_open = 0; next }
	n_open { print >> f; close(f) }
	END { print n > (tmp "/rcount") }
' tmp="$tmp" README.md
rn=$(cat "$tmp/rcount")
[ "$rn" -gt 0 ] || no "README.md has no examples"
i=1
while [ "$i" -le "$rn" ]; do
	PATH=$tmp/bin:$PATH sh "$tmp/rcmd.$i" >"$tmp/got" 2>"$tmp/err"
	cat "$tmp/err" >>"$tmp/got"
	awk '
		# want[1..nw] against got[1..ng] from wi, gi: "..." lines
		# match any number of lines (tried shortest first)
		function m(wi, gi,    k) {
			if (wi > nw) return gi > ng
			if (want[wi] == "...") {
				for (k = gi; k <= ng + 1; k++)
					if (m(wi + 1, k)) return 1
				return 0
			}
			return gi <= ng && line_ok(want[wi], got[gi]) && m(wi + 1, gi + 1)
		}
		function line_ok(w, g,    re) {
			if (index(w, "...") == 0) return w == g
			re = w
			gsub(/[][\\^$.|?*+(){}]/, "\\\\&", re)
			gsub(/\\\.\\\.\\\./, ".*", re)
			return g ~ ("^" re "$")
		}
		FNR == NR { want[++nw] = $0; next }
		{ got[++ng] = $0 }
		END { exit !m(1, 1) }
	' "$tmp/rwant.$i" "$tmp/got" || {
		no "the README example '$(cat "$tmp/rcmd.$i")' prints:"
		diff -u "$tmp/rwant.$i" "$tmp/got" | sed 1,2d
	}
	i=$((i + 1))
done

# docs/language.md against the parsers and grammar/*.def.
"$DOCCHECK" docs/language.md || no "docs/language.md (see above)"

# docs/api.md shows docs/example.c, verbatim.
awk '/^```c$/ { c = 1; next } /^```$/ { if (c) exit } c' docs/api.md >"$tmp/api.c"
cmp -s "$tmp/api.c" docs/example.c ||
	no "the program in docs/api.md is not docs/example.c"

# docs/architecture.md names every module.
for f in src/*/*.c; do
	m=${f#src/}
	grep -q "${m%.c}" docs/architecture.md ||
		no "docs/architecture.md does not mention $m"
done

if [ "$fail" -eq 0 ]; then
	echo "docs: ok ($(echo $commands | wc -w) commands, $n man page examples, $rn README examples)"
fi
[ "$fail" -eq 0 ]
