#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# runner.sh ABI: the guest runner under failure.  Each case boots a real guest with a
# job that misbehaves, and checks the runner's exit status, its message, and that no
# result directory is left behind.  Needs build/ABI/initramfs.cpio.gz.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
abi=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
echo "1..9"	# the plan first: a run that stops early fails
# boots DESC WANT-STATUS PATTERN JOB-TEXT [TIMEOUT]: 600 s by default, for icount (the
# default clock without KVM), whose boots run several times slower than plain TCG's
# when make check's guests load the host
boots() {
	local desc=$1 want=$2 pat=$3 rc=0 o=$tmp/out$n
	printf '%s\n' "$4" >"$tmp/job"
	MMAPBENCH_NO_BUILD=1 "$top/scripts/qemu/boot" -k "$abi" -j "$tmp/job" -o "$o" -t "${5:-600}" \
		>"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
	n=$((n + 1))
	local dir_ok=1
	if [ "$want" = 3 ]; then [ ! -e "$o" ] || dir_ok=0; else [ -f "$o/job.status" ] || dir_ok=0; fi
	if [ "$rc" = "$want" ] && grep -qE "$pat" "$tmp/stderr" && [ $dir_ok = 1 ]; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		echo "# exit $rc (want $want), result dir as expected: $dir_ok"
		sed 's/^/# /' "$tmp/stderr" | head -20
	fi
	ls -d "$o".tmp.* >/dev/null 2>&1 && { n=$((n + 1)); echo "not ok $n - $desc: a temporary result was left"; }
	last=$o
}

boots "a job that succeeds: exit 0, its files come back" 0 'job status 0' \
	'echo hello >/out/hello.txt'
n=$((n + 1))
if [ "$(cat "$last/hello.txt" 2>/dev/null)" = hello ]; then echo "ok $n - the job's file arrived intact"
else echo "not ok $n - the job's file arrived intact"; fi
boots "a job that fails: exit 1, results still complete" 1 'job status 7' 'exit 7'
boots "a guest that panics: exit 3, says panic" 3 'kernel panic' \
	'echo 1 >/proc/sys/kernel/sysrq; echo c >/proc/sysrq-trigger; sleep 30'
# A busy loop, not a sleep: under icount (sleep=off) an idle guest's clock jumps to its
# next timer, so `sleep 100000` would end at once; a spinning guest hangs on any clock.
boots "a guest that hangs: exit 3, says hung" 3 'hung: no power-off within 25s' 'while :; do :; done' 25
boots "a guest that powers off early: exit 3, says no complete result" 3 'without a complete result' \
	'poweroff -f; sleep 30'
boots "a kernel complaint in dmesg: exit 3, quotes it" 3 'complained: .*BUG: injected' \
	'echo "BUG: injected by the runner test" >/dev/kmsg'

# The clock with nothing cached: auto probes KVM by booting a guest (once per host boot),
# with no MMAPBENCH_ASLR in the environment.  Regression: that probe once ran before the
# boot had read MMAPBENCH_ASLR and died of an unbound variable on every fresh machine.
bid=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)
stamp=${MMAPBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmapbench}/accel.$bid
[ -e "$stamp" ] && mv "$stamp" "$tmp/stamp.saved"
rc=0
clk=$(env -u MMAPBENCH_ASLR -u MMAPBENCH_ACCEL MMAPBENCH_CLOCK=auto MMAPBENCH_NO_BUILD=1 \
	"$top/scripts/qemu/boot" -k "$abi" -P 2>"$tmp/stderr") || rc=$?
n=$((n + 1))
if [ $rc = 0 ] && { [ "$clk" = kvm ] || [ "$clk" = icount ]; }; then echo "ok $n - with no cached probe, CLOCK=auto probes and names a clock ($clk)"
else echo "not ok $n - with no cached probe, CLOCK=auto probes and names a clock"; echo "# exit $rc, clock '$clk'"; sed 's/^/# /' "$tmp/stderr" | head; fi
n=$((n + 1))
if [ -s "$stamp" ]; then echo "ok $n - the probe's answer is cached for this host boot"
else echo "not ok $n - the probe's answer is cached for this host boot"; fi
[ -e "$stamp" ] || { [ -e "$tmp/stamp.saved" ] && mv "$tmp/stamp.saved" "$stamp"; }
