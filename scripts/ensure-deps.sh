#!/bin/sh
# ensure-deps.sh - make sure the packages gradbox builds with are installed.
#
# Usage: scripts/ensure-deps.sh [PACKAGE...]
# With no arguments, checks the build and test packages. Each package is
# probed with dpkg-query; the missing ones are installed with apt-get when we
# are root, otherwise we stop and print the exact command to run.
set -eu

want="${*:-libmpfr-dev libgmp-dev libcmocka-dev libjansson-dev pkg-config}"
missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "gradbox: missing packages:$missing (no apt-get here; install them with your package manager)" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "gradbox: missing packages:$missing" >&2
	echo "gradbox: run this, then try again:" >&2
	echo "    sudo apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "gradbox: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 || {
	apt-get update >/dev/null
	apt-get install -y --no-install-recommends $missing >/dev/null
}
