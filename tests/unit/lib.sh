# SPDX-License-Identifier: GPL-2.0
# Sourced by the tests/unit/test_*.sh scripts: a scratch directory and TAP helpers.
#   ok STATUS DESC     one TAP line; STATUS 0 passes (a failure shows $tmp/err's head)
#   skip DESC WHY      a skipped claim
#   run CMD...         $out = stdout, $rc = status, stderr in $tmp/err
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

run() {
	out=$("$@" 2>"$tmp/err")
	rc=$?
}
