#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# guest-results.sh DIR ABI HOOK: TAP assertions on what a `make check` guest sent back.
# Counts and formats only, never timings.
set -u
d=$1 abi=$2 hook=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0 bad=0
t() { # t DESC CMD...: one TAP line from a command's status
	local desc=$1; shift
	n=$((n + 1))
	if "$@" >/dev/null 2>&1; then echo "ok $n - $abi: $desc"; else echo "not ok $n - $abi: $desc"; bad=1; fi
}
# jq runs in the chroot, where the repo is /src.
rel=${d#"$top"/}
jqr() { "$top/scripts/chroot" run jq -e "$@" "/src/$rel/storm.json"; }
accel=$(sed -n 's/^accel=//p' "$d/boot.env")

t "the module loaded (insmod status 0)" grep -qx 0 "$d/insmod.status"
t "the quick storm exited 0" grep -qx 0 "$d/storm.status"
t "storm.json parses and has schema mmapbench-results/1" jqr '.schema == "mmapbench-results/1"'
t "env.accel is the accelerator the guest ran under ($accel)" jqr --arg a "$accel" '.env.accel == $a'
t "env.kernel_release is $abi-amd64" jqr --arg k "$abi-amd64" '.env.kernel_release == $k'
t "env.counter and a measured counter_hz are recorded" \
	jqr '(.env.counter | type == "string" and length > 0) and .env.counter_hz > 0'
t "env.module.hook is $hook" jqr --arg h "$hook" '.env.module.hook == $h'
for tgt in anon legacy; do
	t "every $tgt case is ok with samples in every metric" jqr --arg t "$tgt" \
		'[.cases[] | select(.target == $t)] | length > 0 and all(.status == "ok" and
		 (.metrics | length > 0 and all(.samples | length > 0)))'
done
if [ "$hook" = none ]; then
	t "every prepare case is skipped with a reason (no hook on this kernel)" jqr \
		'[.cases[] | select(.target == "prepare")] | length > 0 and
		 all(.status == "skipped" and (.reason | length > 0))'
else
	t "every prepare case is ok with samples" jqr \
		'[.cases[] | select(.target == "prepare")] | length > 0 and all(.status == "ok" and
		 (.metrics | length > 0 and all(.samples | length > 0)))'
fi
t "medians are positive numbers wherever a case ran" jqr \
	'[.cases[] | select(.status == "ok") | .metrics[].stats.median] | all(type == "number" and . > 0)'
t "dmesg has no WARN, BUG, Oops or bad page" \
	bash -c "! grep -E 'WARNING:|BUG:|Oops|bad page|Call Trace|KASAN' '$d/dmesg.txt'"
echo "1..$n"
exit $bad
