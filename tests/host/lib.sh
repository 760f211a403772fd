# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the host script tests (sourced; the caller sets $top and $tmp, a
# scratch dir): every shell test's (tests/tap.sh: plan, ok, is, check, ...), and exits.
. "$top/tests/tap.sh"
# exits DESC WANT-STATUS PATTERN CMD...: status and a stderr line matching PATTERN
exits() {
	local desc=$1 want=$2 pat=$3 rc=0; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	if [ "$rc" = "$want" ] && grep -qE "$pat" "$tmp/err"; then
		pass "$desc"
	else
		fail "$desc" "exit $rc (want $want); stderr: $(head -c 300 "$tmp/err")"
	fi
}
