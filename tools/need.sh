#!/bin/sh
# tools/need.sh WHAT 'CHECK COMMAND' PACKAGE...
# Runs CHECK; if it fails, installs the Debian PACKAGEs with apt-get when running as root
# (then checks again), otherwise prints the exact command to run and fails.
what=$1; check=$2; shift 2
sh -c "$check" >/dev/null 2>&1 && exit 0
cmd="apt-get install -y $*"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "$what is missing: running: apt-get update && $cmd"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive $cmd -qq >/dev/null || {
        echo "error: '$cmd' failed (see above)." >&2; exit 1; }
    sh -c "$check" >/dev/null 2>&1 && exit 0
    echo "error: $what still missing after '$cmd' (check: $check)." >&2
    exit 1
fi
echo "error: $what is missing. Install it with:" >&2
echo "       sudo apt-get update && sudo $cmd" >&2
exit 1
