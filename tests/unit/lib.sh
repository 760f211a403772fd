# SPDX-License-Identifier: GPL-2.0
# Sourced by the tests/unit/test_*.sh scripts: a scratch directory, the TAP helpers of
# every shell test (tests/tap.sh: plan, ok, skip, is, ...; a failed ok shows
# $tmp/err's head), and:
#   run CMD...         $out = stdout, $rc = status, stderr in $tmp/err
#   need PROG...       PROGs the tests need: without one, the script is one failure
#                      (make check runs the unit tests in the chroot, which has them all)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/../tap.sh"
TAP_ERR=$tmp/err

need() {
	local p

	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 && continue
		echo "1..1"
		echo "not ok 1 - $p is installed (scripts/build/chroot installs it: make check runs the unit tests there)"
		exit 1
	done
}

run() {
	out=$("$@" 2>"$tmp/err")
	rc=$?
}
