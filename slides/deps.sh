#!/bin/sh
# slides/deps.sh -- make sure the slide toolchain is here; cheap when it is.
#
#   Debian packages: chromium (Marp prints PDFs through it), poppler-utils
#                    (pdftoppm: a PDF's first page as PNG), fonts,
#                    Node.js + npm (only if there is no node/npm at all),
#                    python3-pytest (the preprocessor's tests)
#   npm packages:    @marp-team/marp-cli, exactly as slides/package-lock.json
#                    pins it, installed by `npm ci` into slides/node_modules/
#                    when that is missing or older than the lock file.
#
# Missing Debian packages are installed with apt-get when we are root;
# otherwise the exact apt-get line is printed and we fail (as tools/deps.sh
# does). Nothing else is downloaded: puppeteer-core never fetches a browser
# of its own, and Marp is pointed at Debian's /usr/bin/chromium.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

# ---- Debian packages
missing=""
need() {   # need PACKAGE TEST-COMMAND...
    pkg=$1; shift
    if ! "$@" >/dev/null 2>&1; then
        missing="$missing $pkg"
    fi
}
have() { command -v "$1" >/dev/null 2>&1; }

need chromium           test -x "${CHROME_PATH:-/usr/bin/chromium}"
need poppler-utils      have pdftoppm
need fonts-dejavu-core  test -e /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf
need fonts-liberation   test -d /usr/share/fonts/truetype/liberation
need python3-pytest     /usr/bin/python3 -c 'import pytest'
# Any Node.js >= 18 will do (Marp CLI 4 needs 18): Debian 12's nodejs is
# 18. A node that came from elsewhere (nodesource, nvm) is used as it is.
if ! have node || ! have npm; then
    have node || missing="$missing nodejs"
    have npm || missing="$missing npm"
fi

# shellcheck disable=SC2086
sh "$here/../tools/apt-install.sh" slides/deps $missing

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
    echo "slides/deps: Node.js $(node --version) is too old; Marp CLI needs 18 or later" >&2
    exit 1
fi

# ---- npm packages: `npm ci` when node_modules is missing or stale. The
# stamp holds the checksum of the lock file the tree was installed from.
stamp="$here/node_modules/.tidepool-lock.sha256"
want=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ -x "$here/node_modules/.bin/marp" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
echo "slides/deps: npm ci (slides/package-lock.json)"
start=$(date +%s)
# PUPPETEER_SKIP_DOWNLOAD: belt and braces, puppeteer-core downloads nothing.
(cd "$here" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) ||
    { echo "slides/deps: 'npm ci' in slides/ failed" >&2; exit 1; }
echo "$want" > "$stamp"
echo "slides/deps: npm ci took $(( $(date +%s) - start )) s"
