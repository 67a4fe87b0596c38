#!/bin/sh
# Make sure a PyPy that can create virtual environments exists: $1 (default pypy3).
# Installs Debian's pypy3 pypy3-venv pypy3-dev with apt-get when running as root;
# otherwise prints the exact command and fails.
pypy=${1:-pypy3}
if command -v "$pypy" >/dev/null 2>&1 && "$pypy" -c "import ensurepip, venv" >/dev/null 2>&1; then
    exit 0
fi
if [ "$pypy" != pypy3 ]; then
    echo "error: PYPY=$pypy is not a PyPy with venv/ensurepip." >&2
    echo "       Give the path of a working PyPy 3.9+ (make setup PYPY=/path/to/pypy3)." >&2
    exit 1
fi
cmd="apt-get install -y pypy3 pypy3-venv pypy3-dev"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "PyPy missing: running: apt-get update && $cmd"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive $cmd -qq && exit 0
    echo "error: '$cmd' failed (see above)." >&2
    exit 1
fi
echo "error: PyPy (pypy3 with venv support) is missing. Install it with:" >&2
echo "       sudo apt-get update && sudo $cmd" >&2
echo "       or give another one: make setup PYPY=/path/to/pypy3" >&2
exit 1
