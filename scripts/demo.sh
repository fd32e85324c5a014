#!/bin/sh
# demo.sh - what `make demo` shows: Homework 3 answered end to end.
#
# Runs examples/hw3.grad (every answer and the checks of the homework's
# sample answers), renders its answers into the answer sheet
# BUILD_DIR/hw3-answers.tex and, where pdflatex is available, compiles
# BUILD_DIR/hw3-answers.pdf with every box checked for overflow. As root
# without TeX Live, it installs it first (scripts/ensure-deps.sh); as
# another user it prints the command to run.
#
# Usage: scripts/demo.sh GRADBOX BUILD_DIR
set -eu
gb=$1
out=$2
file=examples/hw3.grad
tex_pkgs="texlive-latex-base texlive-latex-recommended texlive-latex-extra"

echo "== gradbox demo: CS 475/675 Homework 3, from $file"
echo
echo "\$ gradbox run $file"
"$gb" run "$file" 2>&1 | sed 's/^\(  [a-z+*() ]*: 1:.\{60\}\).*/\1 .../'
echo

if ! command -v pdflatex >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "== installing TeX Live ($tex_pkgs)"
		sh scripts/ensure-deps.sh $tex_pkgs || true
	fi
fi
echo "\$ gradbox render -o $out/hw3-answers.tex $file"
if command -v pdflatex >/dev/null 2>&1; then
	"$gb" render -o "$out/hw3-answers.tex" "$file"
	pages=$(sed -n 's/^Output written on .* (\([0-9]*\) page.*/\1/p' \
		"$out/hw3-answers.log")
	echo "wrote $out/hw3-answers.tex and $out/hw3-answers.pdf" \
	     "($pages pages, no box overflows)"
else
	"$gb" render --no-pdf -o "$out/hw3-answers.tex" "$file"
	echo "wrote $out/hw3-answers.tex; pdflatex is not installed, so no PDF."
	echo "To build the PDF, install TeX Live and run make demo again:"
	echo "    sudo apt-get install -y --no-install-recommends $tex_pkgs"
fi
echo "(transcript also written to $out/demo.txt)"
