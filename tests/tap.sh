# SPDX-License-Identifier: GPL-2.0
# tap.sh - TAP for every shell test (sourced; POSIX sh, so busybox's in the guest too),
# the shell twin of tests/tap.h.  The plan comes first; each claim is one line.
#   plan N                 "1..N", before the first claim: a script that stops early fails
#   ok STATUS DESC         one claim: STATUS 0 passes; a failure is counted in $failed
#                          and, when $TAP_ERR names a non-empty file, shows its head
#   pass DESC, fail DESC [DIAG...]   a claim that passed / failed (DIAGs as "# " lines)
#   check DESC CMD...      ok iff CMD succeeds
#   is DESC WANT GOT       ok iff GOT is WANT; a failure shows both
#   skip DESC WHY          a claim that cannot be made here (skip WHY: without a DESC)
#   skipn N DESC WHY       N such claims, one line each
#   diag MSG...            "# MSG" lines
# $n is the number of claims so far, $failed the failures.  tests/tap-summary counts.
n=0
failed=0

# tap_claim STATUS DESC SHOW: the claim; SHOW 1: a failure shows $TAP_ERR's head
tap_claim() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		if [ "$3" = 1 ] && [ -n "${TAP_ERR:-}" ] && [ -s "$TAP_ERR" ]; then
			sed 's/^/#   stderr: /' "$TAP_ERR" | head -n 5
		fi
	fi
}

ok() { tap_claim "$1" "$2" 1; }

diag() {
	for tap_m in "$@"; do
		printf '# %s\n' "$tap_m"
	done
}

pass() { ok 0 "$1"; }

fail() {
	tap_d=$1
	shift
	tap_claim 1 "$tap_d" 0
	[ $# -eq 0 ] || diag "$@"
}

check() {
	tap_d=$1
	shift
	if "$@"; then ok 0 "$tap_d"; else ok 1 "$tap_d"; fi
}

is() {
	if [ "$2" = "$3" ]; then
		ok 0 "$1"
	else
		tap_claim 1 "$1" 0
		echo "# want: $2"
		echo "# got:  $3"
	fi
}

skip() {
	n=$((n + 1))
	if [ $# -ge 2 ]; then echo "ok $n - $1 # SKIP $2"; else echo "ok $n # SKIP $1"; fi
}

skipn() {
	tap_i=0
	while [ "$tap_i" -lt "$1" ]; do
		tap_i=$((tap_i + 1))
		n=$((n + 1))
		echo "ok $n - $2 ($tap_i of $1) # SKIP $3"
	done
}

plan() {
	echo "1..$1"
}
