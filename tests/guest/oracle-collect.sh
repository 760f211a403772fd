#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest (from run-all.sh and scripts/host/matrix's job): the kernel-side oracle
# around mapchunks, for each module device and profile and for secretmem, then the
# same command under Debian's perf.  Writes /out/oracle/NAME.json (the oracle's
# counts), NAME.record (what they were counted from: scripts/guest/oracle), NAME.out
# (mapchunks' own VMA count), NAME.status, and /out/perf/NAME.csv
# (`perf stat -x,`: software events, and the oracle's kprobes where perf can use
# them), NAME.status, version; /out/perf/UNAVAILABLE says why there is no perf.
# The host folds all of it into results.json (scripts/host/fold-oracle).
mkdir -p /out/oracle /out/perf
# The module's names (drivers/mmapbench/mmapbench_abi.h) and mapchunks' options
# (the selection oracle-mapchunks), from the harness.
eval "$(mmapbench list --abi)"
chunks=$(mmapbench list --selection oracle-mapchunks)
if ! oracle setup >/out/oracle/setup.log 2>&1; then
	echo "oracle setup failed" >/out/oracle/FAILED
	exit 0
fi

# perf: the image's (scripts/build/mkperf), or why not.  The kprobe events are the
# oracle's, counted by perf for the whole command (its exec included).
perf_ev=page-faults,minor-faults,major-faults,context-switches,cpu-migrations
if ! command -v perf >/dev/null 2>&1; then
	echo "no perf in this guest image (MMAPBENCH_GUEST_PERF=0?)" >/out/perf/UNAVAILABLE
elif ! perf --version >/out/perf/version 2>/out/perf/version.err; then
	echo "perf --version failed: $(head -n 1 /out/perf/version.err)" >/out/perf/UNAVAILABLE
elif perf stat -x, -o /out/perf/probe.csv -e "$perf_ev" -- true >/dev/null 2>/out/perf/probe.err; then
	for ev in mmap_region vma_merge_new_range; do
		grep -q "^event $ev " /tmp/mmapbench-oracle.state 2>/dev/null &&
			perf_kp="${perf_kp:+$perf_kp,}mmapbench_oracle:$ev"
	done
	if [ -n "${perf_kp:-}" ] &&
	   perf stat -x, -o /out/perf/probe.csv -e "$perf_ev,$perf_kp" -- true >/dev/null 2>>/out/perf/probe.err; then
		perf_ev="$perf_ev,$perf_kp"
	fi
	rm -f /out/perf/probe.csv /out/perf/probe.err
else
	echo "perf stat cannot count software events here: $(head -n 1 /out/perf/probe.err)" >/out/perf/UNAVAILABLE
fi

# collect NAME TARGET: the oracle's count, then perf's, of one mapchunks run each.
collect() {
	# shellcheck disable=SC2086 # $chunks is a list of options
	oracle count -o "/out/oracle/$1.json" -t "/out/oracle/$1.record" -- mapchunks $chunks "$2" \
		>"/out/oracle/$1.out" 2>&1
	echo "$?" >"/out/oracle/$1.status"
	[ -e /out/perf/UNAVAILABLE ] && return 0
	# shellcheck disable=SC2086
	perf stat -x, -o "/out/perf/$1.csv" -e "$perf_ev" -- mapchunks $chunks "$2" \
		>"/out/perf/$1.out" 2>&1
	echo "$?" >"/out/perf/$1.status"
}

pf=$MMAPBENCH_PARAMS_DIR/$MMAPBENCH_PARAM_PROFILE
prof0=$(cat "$pf")
for prof in $(echo "$MMAPBENCH_PROFILES" | tr , ' '); do
	echo "$prof" >"$pf"
	for dev in "$MMAPBENCH_DBG_LEGACY:$MMAPBENCH_DEV_LEGACY_PATH" \
		   "$MMAPBENCH_DBG_PREPARE:$MMAPBENCH_DEV_PREPARE_PATH"; do
		[ -e "${dev#*:}" ] || continue
		collect "${dev%%:*}-$prof" "${dev#*:}"
	done
done
echo "$prof0" >"$pf"
collect secretmem secretmem
exit 0
