#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `mmapbench run ... --ops K` (the process the hyperfine cross-check times) does
# exactly K mmaps of the device, counted by the module (hook_calls; no faults without
# MAP_POPULATE), and --ops 0 none; the staged hyperfine runs in the guest and
# scripts/guest/hyperfine-check completes on one device.  Busybox sh, TAP.  Counts only.
. "$(dirname "$0")/tap.sh"	# ok STATUS DESC: tests/tap.sh, beside this file in the image
# cnt DEV NAME: a debugfs counter; "unreadable" (never a number) if it cannot be read
cnt() { v=$(cat "$DBG/$1/$2" 2>/dev/null) && [ -n "$v" ] && [ "$v" -ge 0 ] 2>/dev/null && echo "$v" ||
	echo unreadable; }
num() { [ "$1" -ge 0 ] 2>/dev/null; }
echo "1..10"	# 4 --ops counts per device, hyperfine, hyperfine-check
# The module's names (drivers/mmapbench/mmapbench_abi.h) and the hyperfine check's
# selections, from the harness.
abi=$(mmapbench list --abi) && eval "$abi" || echo "# mmapbench list --abi failed"
DBG=$MMAPBENCH_DEBUGFS_DIR
hf_config() { echo "$1-4k-$MMAPBENCH_PROFILE_DONTDUMP"; }	# one of: mmapbench list --selection hyperfine
sel() { mmapbench list --selection "hyperfine/$(hf_config "$1")"; }
devpath() { if [ "$1" = "$MMAPBENCH_DBG_LEGACY" ]; then echo "$MMAPBENCH_DEV_LEGACY_PATH"; else echo "$MMAPBENCH_DEV_PREPARE_PATH"; fi; }
hc=$MMAPBENCH_COUNTER_HOOK_CALLS fc=$MMAPBENCH_COUNTER_FAULTS

for dev in "$MMAPBENCH_DBG_LEGACY" "$MMAPBENCH_DBG_PREPARE"; do
	# Only a kernel without the new hook (MB_EXPECT_HOOK=none) lacks the prepare device.
	if [ ! -e "$(devpath "$dev")" ] && [ "$dev" = "$MMAPBENCH_DBG_PREPARE" ] &&
	   [ "${MB_EXPECT_HOOK:-}" = "$MMAPBENCH_HOOK_NONE" ]; then
		for k in 0 1 777 5000; do
			echo "ok $((n += 1)) - $dev: --ops $k counts # SKIP no $(devpath "$dev"): this kernel has no new hook"
		done
		continue
	fi
	for k in 0 1 777 5000; do
		h0=$(cnt "$dev" "$hc") f0=$(cnt "$dev" "$fc")
		# shellcheck disable=SC2046
		mmapbench run $(sel "$dev") --ops "$k" 2>/tmp/ops.err
		rc=$?
		h1=$(cnt "$dev" "$hc") f1=$(cnt "$dev" "$fc")
		if num "$h0" && num "$h1" && num "$f0" && num "$f1"; then d=$((h1 - h0)); else d="no counts"; fi
		[ "$rc" = 0 ] && [ "$d" = "$k" ] && [ "$f1" = "$f0" ]
		ok $? "$dev: --ops $k: exit 0, $k hook calls (got $d, rc $rc), no faults"
		num "$h0" && num "$h1" && num "$f0" && num "$f1" ||
			echo "# $DBG/$dev: $hc $h0 -> $h1, $fc $f0 -> $f1"
	done
done

hyperfine --version | grep -q '^hyperfine '
ok $? "the staged hyperfine runs in the guest"
dev=$MMAPBENCH_DBG_LEGACY
[ -e "$MMAPBENCH_DEV_PREPARE_PATH" ] && dev=$MMAPBENCH_DBG_PREPARE
rm -rf /tmp/hfc
hyperfine-check --out /tmp/hfc --configs "$(hf_config "$dev")" --runs 2 --factor 1 --samples 2 \
	>/tmp/hfc.log 2>&1 &&
	grep -q '"status": "ok"' /tmp/hfc/hyperfine.json && grep -q '"ratio": ' /tmp/hfc/hyperfine.json &&
	[ -s "/tmp/hfc/hyperfine/$(hf_config "$dev")/hyperfine.json" ]
st=$?
ok $st "hyperfine-check on $(hf_config "$dev"): exit 0, a ratio, hyperfine's JSON kept"
[ $st = 0 ] || sed 's/^/# /' /tmp/hfc.log | tail -n 20
