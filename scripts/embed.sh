#!/bin/sh
# embed.sh - a file as a C array, so the binary carries it (the default
# answer-sheet template) without the source tree.
#
# Usage: scripts/embed.sh SYMBOL FILE > OUT.c
# Defines `const char SYMBOL[]` (the bytes, then a NUL) and
# `const size_t SYMBOL_len`. Portable: od and awk only (no xxd).
set -eu
sym=$1
file=$2
echo "/* Generated from $file by scripts/embed.sh: do not edit. */"
echo '#include "output/template.h"'
echo
echo "const char $sym[] = {"
od -An -v -tu1 "$file" | awk '
	NF { line = "\t"; for (i = 1; i <= NF; i++) line = line $i ","; print line }'
echo "	0"
echo "};"
echo "const size_t ${sym}_len = sizeof $sym - 1;"
