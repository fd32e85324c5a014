#!/bin/sh
# install.sh - the install test: stage `make install` in a temporary
# DESTDIR, build docs/example.c against the staged library with nothing
# but `pkg-config --cflags --libs gradbox`, run it (shared, then static),
# run the installed binary away from the source tree, try the bash
# completion, then `make uninstall` and check that nothing is left.
#
# Usage: tests/install.sh BUILD_DIR   (run by `make check` as installcheck)
# Environment: MAKE, CC, OPT (compiler flags, e.g. the sanitizers of
# `make asan`, which the example must be built with too), TEST_WRAP.
set -u
O=${1:?usage: tests/install.sh BUILD_DIR}
MAKE=${MAKE:-make}
CC=${CC:-cc}
OPT=${OPT:-}
TEST_WRAP=${TEST_WRAP:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
root=$tmp/root
prefix=/opt/gradbox
P=$root$prefix
fail=0

no() {
	echo "install: FAIL: $*"
	fail=$((fail + 1))
}

cd "$top" || exit 2
if ! $MAKE -s install O="$O" DESTDIR="$root" PREFIX="$prefix" >"$tmp/log" 2>&1; then
	cat "$tmp/log"
	no "make install"
	exit 1
fi

# The layout.
version=$("$O/gradbox" --version | sed 's/^gradbox //')
for f in bin/gradbox lib/libgradbox.a "lib/libgradbox.so.$version" \
	include/gradbox.h lib/pkgconfig/gradbox.pc share/man/man1/gradbox.1 \
	share/bash-completion/completions/gradbox; do
	[ -f "$P/$f" ] || no "$prefix/$f is not installed"
done
[ -d "$P/share/gradbox/templates" ] || no "$prefix/share/gradbox/templates is missing"
[ "$(readlink "$P/lib/libgradbox.so.0")" = "libgradbox.so.$version" ] ||
	no "libgradbox.so.0 does not point to libgradbox.so.$version"
[ "$(readlink "$P/lib/libgradbox.so")" = libgradbox.so.0 ] ||
	no "libgradbox.so does not point to libgradbox.so.0"
[ -x "$P/bin/gradbox" ] || no "bin/gradbox is not executable"
if command -v readelf >/dev/null 2>&1; then
	readelf -d "$P/lib/libgradbox.so.$version" | grep -q 'SONAME.*\[libgradbox\.so\.0\]' ||
		no "the soname is not libgradbox.so.0"
fi

# pkg-config, as a user of the staged tree would call it.
PKG_CONFIG_PATH=$P/lib/pkgconfig
PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
if ! command -v pkg-config >/dev/null 2>&1; then
	echo "install: pkg-config is missing; skipping the library tests"
else
	[ "$(pkg-config --modversion gradbox)" = "$version" ] ||
		no "pkg-config --modversion gradbox is not $version"
	pkg-config --libs gradbox | grep -q jansson &&
		no "gradbox.pc lists jansson (only the CLI uses it)"
	flags=$(pkg-config --cflags --libs gradbox) || no "pkg-config gradbox"

	# Away from the source tree, so that no -Iinclude can help.
	mkdir "$tmp/user"
	cp docs/example.c "$tmp/user/"
	cd "$tmp/user" || exit 2
	# shellcheck disable=SC2086 # flags are words
	if $CC -std=c11 $OPT example.c $flags -o example 2>"$tmp/cc"; then
		LD_LIBRARY_PATH=$P/lib $TEST_WRAP ./example >"$tmp/out" 2>&1 ||
			{ cat "$tmp/out"; no "docs/example.c fails against the shared library"; }
		if command -v readelf >/dev/null 2>&1; then
			readelf -d example | grep -q 'NEEDED.*\[libgradbox\.so\.0\]' ||
				no "the example is not linked with libgradbox.so.0"
		fi
	else
		cat "$tmp/cc"
		no "docs/example.c does not build with pkg-config --cflags --libs gradbox"
	fi

	# Static: with the shared objects gone, pkg-config --static suffices.
	mkdir "$tmp/static"
	cp -R "$root/." "$tmp/static/"
	rm -f "$tmp/static$prefix"/lib/libgradbox.so*
	PKG_CONFIG_PATH=$tmp/static$prefix/lib/pkgconfig
	PKG_CONFIG_SYSROOT_DIR=$tmp/static
	flags=$(pkg-config --static --cflags --libs gradbox)
	# shellcheck disable=SC2086
	if $CC -std=c11 $OPT example.c $flags -o example-static 2>"$tmp/cc"; then
		$TEST_WRAP ./example-static >"$tmp/out" 2>&1 ||
			{ cat "$tmp/out"; no "docs/example.c fails against libgradbox.a"; }
	else
		cat "$tmp/cc"
		no "docs/example.c does not build with pkg-config --static"
	fi
	cd "$top" || exit 2
fi

# The installed binary, run from elsewhere.
cd "$tmp" || exit 2
out=$($TEST_WRAP "$P/bin/gradbox" diff 'relu(x)' 2>/dev/null)
[ "$out" = "piecewise(x < 0: 0, x > 0: 1)" ] || no "installed gradbox diff: '$out'"
if "$P/bin/gradbox" help render >/dev/null 2>&1; then
	# render's default template is built in: no source tree, no share/.
	cp "$top/examples/hw3.grad" "$tmp/hw3.grad"
	$TEST_WRAP "$P/bin/gradbox" render hw3.grad >"$tmp/render.out" 2>"$tmp/render.err" ||
		{ cat "$tmp/render.err"; no "installed gradbox render fails"; }
	grep -q 'documentclass' "$tmp/render.out" ||
		no "installed gradbox render wrote no LaTeX document"
	[ -f "$P/share/gradbox/templates/hw-answers.tex" ] ||
		no "templates/hw-answers.tex is not installed"
fi
cd "$top" || exit 2

# The completion, if bash is here.
cd "$tmp" || exit 2
if command -v bash >/dev/null 2>&1; then
	got=$(bash -c '
		complete() { :; }
		. "$1"
		COMP_WORDS=(gradbox di); COMP_CWORD=1; _gradbox
		echo "${COMPREPLY[*]}"
		COMP_WORDS=(gradbox diff --w); COMP_CWORD=2; _gradbox
		echo "${COMPREPLY[*]}"' sh "$P/share/bash-completion/completions/gradbox" 2>&1)
	[ "$got" = "diff
--wrt" ] || no "bash completion: got '$got'"
fi
cd "$top" || exit 2

# make uninstall leaves nothing but the empty directories.
$MAKE -s uninstall O="$O" DESTDIR="$root" PREFIX="$prefix" >"$tmp/log" 2>&1 ||
	{ cat "$tmp/log"; no "make uninstall"; }
left=$(find "$root" ! -type d)
[ -z "$left" ] || no "make uninstall left: $left"

if [ "$fail" -eq 0 ]; then
	echo "install: ok ($prefix: gradbox, libgradbox.a, libgradbox.so.$version, gradbox.pc, gradbox.1, completion)"
fi
[ "$fail" -eq 0 ]
