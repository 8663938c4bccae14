#!/bin/sh
# apt-install.sh WHO PACKAGE... -- install missing Debian packages.
#
# As root with apt-get: update the package lists (a fresh machine has
# none) and install. Otherwise print the exact apt-get line and fail.
# Shared by tools/deps.sh and slides/deps.sh; WHO prefixes the messages.
set -eu
who=$1; shift
[ $# -eq 0 ] && exit 0
line="apt-get install -y --no-install-recommends $*"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "$who: installing: $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || true
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
        { echo "$who: '$line' failed" >&2; exit 1; }
else
    echo "$who: missing packages: $*" >&2
    echo "$who: install them with:" >&2
    echo "    sudo $line" >&2
    exit 1
fi
