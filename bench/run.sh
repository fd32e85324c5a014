#!/bin/sh
# run.sh - `make bench`: gradbox's workloads, and the peers' when installed.
#
# Usage: bench/run.sh BUILD_DIR
# Prints gradbox's measurements (bench/bench.c). When GiNaC is installed
# (libginac-dev) and ../shared/anchors exists (or ANCHORS points to it),
# the GiNaC programs for the same workloads run in the same session, and
# bench/compare.sh prints the ratios.
set -eu
build=$1
echo "# gradbox $(git describe --always --dirty 2>/dev/null || echo '?') on $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d)"
"$build/bench/bench" | tee "$build/bench.tsv"
# W5 through the CLI: `gradbox batch` with -j 1 and -j 2, peak memory
sh "$(dirname "$0")/batch.sh" "$build" | tee -a "$build/bench.tsv"
