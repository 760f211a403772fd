# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the host script tests (sourced; the caller sets $tmp, a scratch dir).
n=0
plan() { # plan N: before the first test, so a script that stops early fails
	echo "1..$1"
}
is() { # is DESC WANT GOT
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "# want: $2"; echo "# got:  $3"; fi
}
# exits DESC WANT-STATUS PATTERN CMD...: status and a stderr line matching PATTERN
exits() {
	local desc=$1 want=$2 pat=$3 rc=0; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	n=$((n + 1))
	if [ "$rc" = "$want" ] && grep -qE "$pat" "$tmp/err"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"; echo "# exit $rc (want $want); stderr: $(head -c 300 "$tmp/err")"
	fi
}
