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
    # tshark's wireshark-common asks whether non-root users may capture;
    # answer it beforehand (no: the grader reads pcap files only), so that
    # no install ever waits on a question.
    echo "wireshark-common wireshark-common/install-setuid boolean false" |
        debconf-set-selections 2>/dev/null || true
    apt-get update -qq || true
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
        { echo "$who: '$line' failed" >&2; exit 1; }
else
    echo "$who: missing packages: $*" >&2
    echo "$who: install them with:" >&2
    echo "    sudo $line" >&2
    exit 1
fi
