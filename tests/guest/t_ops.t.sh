#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `mmapbench run ... --ops K` (the process the hyperfine cross-check times) does
# exactly K mmaps of the device, counted by the module (hook_calls; no faults without
# MAP_POPULATE), and --ops 0 none; the staged hyperfine runs in the guest and
# scripts/hyperfine-check completes on one device.  Busybox sh, TAP.  Counts only.
DBG=/sys/kernel/debug/mmapbench
n=0
ok() {	# ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
# cnt DEV NAME: a debugfs counter; "unreadable" (never a number) if it cannot be read
cnt() { v=$(cat "$DBG/$1/$2" 2>/dev/null) && [ -n "$v" ] && [ "$v" -ge 0 ] 2>/dev/null && echo "$v" ||
	echo unreadable; }
num() { [ "$1" -ge 0 ] 2>/dev/null; }
echo "1..10"	# 4 --ops counts per device, hyperfine, hyperfine-check
sel() { echo "-b storm -t $1 -s 4k --map shared --populate no --threads 1 -p dontdump"; }

for dev in legacy prepare; do
	# Only a kernel without the new hook (MB_EXPECT_HOOK=none) lacks the prepare device.
	if [ ! -e "/dev/mmapbench-$dev" ] && [ "$dev" = prepare ] && [ "${MB_EXPECT_HOOK:-}" = none ]; then
		for k in 0 1 777 5000; do
			echo "ok $((n += 1)) - $dev: --ops $k counts # SKIP no /dev/mmapbench-$dev: this kernel has no new hook"
		done
		continue
	fi
	for k in 0 1 777 5000; do
		h0=$(cnt "$dev" hook_calls) f0=$(cnt "$dev" faults)
		# shellcheck disable=SC2046
		mmapbench run $(sel "$dev") --ops "$k" 2>/tmp/ops.err
		rc=$?
		h1=$(cnt "$dev" hook_calls) f1=$(cnt "$dev" faults)
		if num "$h0" && num "$h1" && num "$f0" && num "$f1"; then d=$((h1 - h0)); else d="no counts"; fi
		[ "$rc" = 0 ] && [ "$d" = "$k" ] && [ "$f1" = "$f0" ]
		ok $? "$dev: --ops $k: exit 0, $k hook calls (got $d, rc $rc), no faults"
		num "$h0" && num "$h1" && num "$f0" && num "$f1" ||
			echo "# $DBG/$dev: hook_calls $h0 -> $h1, faults $f0 -> $f1"
	done
done

hyperfine --version | grep -q '^hyperfine '
ok $? "the staged hyperfine runs in the guest"
dev=legacy
[ -e /dev/mmapbench-prepare ] && dev=prepare
rm -rf /tmp/hfc
hyperfine-check --out /tmp/hfc --configs "$dev-4k-dontdump" --runs 2 --factor 1 --samples 2 \
	>/tmp/hfc.log 2>&1 &&
	grep -q '"status": "ok"' /tmp/hfc/hyperfine.json && grep -q '"ratio": ' /tmp/hfc/hyperfine.json &&
	[ -s "/tmp/hfc/hyperfine/$dev-4k-dontdump/hyperfine.json" ]
st=$?
ok $st "hyperfine-check on $dev-4k-dontdump: exit 0, a ratio, hyperfine's JSON kept"
[ $st = 0 ] || sed 's/^/# /' /tmp/hfc.log | tail -n 20
