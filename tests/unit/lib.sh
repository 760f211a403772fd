# SPDX-License-Identifier: GPL-2.0
# Sourced by the tests/unit/test_*.sh scripts: a scratch directory and TAP helpers.
#   ok STATUS DESC     one TAP line; STATUS 0 passes (a failure shows $tmp/err's head)
#   skip DESC WHY      a skipped claim
#   run CMD...         $out = stdout, $rc = status, stderr in $tmp/err
#   plan N             the plan, before the first test: a script that stops early fails
#   need PROG...       PROGs the tests need: without one, the script is one failure
#                      (make check runs the unit tests in the chroot, which has them all)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		[ -s "$tmp/err" ] && sed 's/^/#   stderr: /' "$tmp/err" | head -n 5
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

plan() {
	echo "1..$1"
}

need() {
	local p

	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 && continue
		echo "1..1"
		echo "not ok 1 - $p is installed (scripts/chroot installs it: make check runs the unit tests there)"
		exit 1
	done
}

run() {
	out=$("$@" 2>"$tmp/err")
	rc=$?
}
