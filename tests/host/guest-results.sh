#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# guest-results.sh DIR ABI HOOK SECOND: TAP assertions on what a `make check` guest sent
# back (SECOND=1: the kernel has the retry merge).  Counts and formats only, never timings.
set -u
d=$1 abi=$2 hook=$3 second=$4
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0 bad=0
t() { # t DESC CMD...: one TAP line from a command's status
	local desc=$1; shift
	n=$((n + 1))
	if "$@" >/dev/null 2>&1; then echo "ok $n - $abi: $desc"; else echo "not ok $n - $abi: $desc"; bad=1; fi
}
# jq runs in the chroot, where the repo is /src.
rel=${d#"$top"/}
jqr() { "$top/scripts/build/chroot" run jq -e "$@" "/src/$rel/storm.json"; }
jqo() { local f=$1; shift; "$top/scripts/build/chroot" run jq -e "$@" "/src/$rel/oracle/$f.json"; }
accel=$(sed -n 's/^accel=//p' "$d/boot.env")
# The module's names (drivers/mmapbench/mmapbench_abi.h), from the harness make check built.
eval "$("${MMAPBENCH:-$top/build/bench/mmapbench}" list --abi)" || { echo "1..1"; echo "not ok 1 - mmapbench list --abi"; exit 1; }
none=$MMAPBENCH_PROFILE_NONE dd=$MMAPBENCH_PROFILE_DONTDUMP special=$MMAPBENCH_PROFILE_SPECIAL
clock=$(sed -n 's/^clock=//p' "$d/boot.env")
# The plan first: 26 claims, one more for prepare's merge, 6 per oracle case (4, or 7
# with the new hook).
if [ "$hook" = "$MMAPBENCH_HOOK_NONE" ]; then echo "1..$((26 + 6 * 4))"; else echo "1..$((27 + 6 * 7))"; fi
# The release the guest reports: Debian's ABI-amd64, or a kernel tree's own (tree-<hex>).
krel=$abi-amd64
case $abi in tree-*) . "$top/scripts/lib.sh"; krel=$(mb_kernel_release "$abi") ;; esac

t "the module loaded (insmod status 0)" grep -qx 0 "$d/insmod.status"
# scripts/host/check boots its guests without CMPXCHG16B (QEMU 7.2 corrupts EFLAGS after
# it: docs/limits.md); the guest's cx16probe says what the guest's CPU had.
want_cx16=no-cx16
[[ "${MMAPBENCH_CPU:-max,-cx16}" = *-cx16* ]] || want_cx16="ok|broken"
[ "$clock" != kvm ] || want_cx16="ok"
t "boot.env tcg_cx16 is $want_cx16 (MMAPBENCH_CPU=${MMAPBENCH_CPU:-max,-cx16})" grep -qxE "tcg_cx16=($want_cx16)" "$d/boot.env"
t "the quick storm exited 0" grep -qx 0 "$d/storm.status"
t "storm.json parses and has schema mmapbench-results/1" jqr '.schema == "mmapbench-results/1"'
t "env.accel is the accelerator the guest ran under ($accel)" jqr --arg a "$accel" '.env.accel == $a'
t "env.clock is the clock the guest ran under ($clock); icount times in insn, never ns" \
	jqr --arg c "$clock" '.env.clock == $c and (.env.clock != "icount" or
		(.env.time_unit == "insn" and .env.icount_shift == 0 and
		 all(.cases[].metrics[]; .unit != "ns")))'
t "env.kernel_release is $krel" jqr --arg k "$krel" '.env.kernel_release == $k'
t "env.counter and a measured counter_hz are recorded" \
	jqr '(.env.counter | type == "string" and length > 0) and .env.counter_hz > 0'
t "env.module.hook is $hook" jqr --arg h "$hook" '.env.module.hook == $h'
for tgt in anon legacy; do
	t "every $tgt case is ok with samples in every metric" jqr --arg t "$tgt" \
		'[.cases[] | select(.target == $t)] | length > 0 and all(.status == "ok" and
		 (.metrics | length > 0 and all(.samples | length > 0)))'
done
if [ "$hook" = "$MMAPBENCH_HOOK_NONE" ]; then
	t "every prepare case is skipped with a reason (no hook on this kernel)" jqr \
		'[.cases[] | select(.target == "prepare")] | length > 0 and
		 all(.status == "skipped" and (.reason | length > 0))'
else
	t "every prepare case is ok with samples" jqr \
		'[.cases[] | select(.target == "prepare")] | length > 0 and all(.status == "ok" and
		 (.metrics | length > 0 and all(.samples | length > 0)))'
fi
# perf software events (the harness's perf_event_open counters) next to rusage.
t "env.perf: the counters opened (root in the guest), no error" \
	jqr '.env.perf.available == true and .env.perf.error == null'
t "every ok case has counts.perf.* for every event of env.perf.events" jqr \
	'.env.perf.events as $e | [.cases[] | select(.status == "ok")] | length > 0 and
	 all(.counts as $c | $e | all(("perf." + .) as $k | $c[$k] | type == "number" and . >= 0))'
t "minflt = perf.minor-faults where nothing populates (same window, one thread)" jqr \
	'[.cases[] | select(.status == "ok" and .params.populate != true and .params.threads == 1)] |
	 length > 0 and all(.counts.minflt == .counts["perf.minor-faults"])'
t "minflt >= perf.minor-faults with MAP_POPULATE (its faults have no user regs)" jqr \
	'[.cases[] | select(.status == "ok" and .params.populate == true)] | length > 0 and
	 all(.counts.minflt >= .counts["perf.minor-faults"] and .counts.minflt > 0)'
t "medians are positive numbers wherever a case ran" jqr \
	'[.cases[] | select(.status == "ok") | .metrics[] | select(.unit == "ns" or .unit == "ops/s") |
	 .stats.median] | all(type == "number" and . > 0)'
# The quick suite's merge case: 16 private chunks of 4 pages, ascending, in the module's
# profile of the moment.  special never merges; none always does; dontdump does for a
# legacy .mmap only through the retry merge (SECOND=1), always for .mmap_prepare.
mvmas() { # mvmas TARGET: every sample of the merge case's "vmas" is the expected count
	jqr --arg t "$1" --argjson second "$second" --arg special "$special" --arg none "$none" \
	 '[.cases[] | select(.bench == "merge" and
	 .target == $t)] | length == 1 and all(.status == "ok" and .params.count == 16 and
	 (if .profile == $special then 16 elif .profile == $none or $t != "legacy" or
	  $second == 1 then 1 else 16 end) as $w |
	 (.metrics[] | select(.name == "vmas") | (.samples | length) > 0 and all(.samples[]; . == $w)))'
}
t "merge: 16 anon private chunks end in 1 VMA" mvmas anon
t "merge: legacy, the module's profile: the VMAs the kernel's merge rules predict" mvmas legacy
if [ "$hook" != "$MMAPBENCH_HOOK_NONE" ]; then
	t "merge: prepare, the module's profile: the VMAs the kernel's merge rules predict" mvmas prepare
fi
# grep -c, not ! grep: a dmesg.txt that is missing or unreadable must not pass.
t "dmesg came back and has no WARN, BUG, Oops or bad page" \
	bash -c "[ -s '$d/dmesg.txt' ] &&
		[ \"\$(grep -cE 'WARNING:|BUG:|Oops|bad page|Call Trace|KASAN' '$d/dmesg.txt')\" = 0 ]"

# The kernel-side oracle around mapchunks: 16 chunks from one fd, plus the range's
# reservation (one more mmap that never merges).  per_mmap counts only that command's
# mmaps; merge_calls_histogram maps "vma_merge_new_range calls in one mmap" -> mmaps.
t "the oracle set up its probes" test ! -e "$d/oracle/FAILED"
# ... folded into storm.json by scripts/host/fold-oracle, with perf stat of the same command.
t "storm.json has the folded oracle (schema, kernel, no setup error)" jqr --arg k "$krel" \
	'.oracle.schema == "mmapbench-oracle-fold/1" and .oracle.kernel == $k and
	 .oracle.setup_error == null'
t "the oracle resolved mmap_region and vma_merge_new_range; unresolved ones have reasons" jqr \
	'(.oracle.probes.resolved | has("mmap_region") and has("vma_merge_new_range__ret")) and
	 all(.oracle.probes.unresolved[]; (.reason | length) > 0)'
t "perf ran in the guest and its version is recorded" jqr \
	'.oracle.perf.error == null and (.oracle.perf.version | startswith("perf version "))'
t "perf stat counted every run: software events and the oracle's kprobes" jqr \
	'.oracle.runs | length >= 4 and all(.[]; .perf.status == 0 and .perf["page-faults"] > 0 and
	 (.perf["context-switches"] | type == "number") and
	 .perf["mmapbench_oracle:mmap_region"] >= .mmaps and
	 .perf["mmapbench_oracle:vma_merge_new_range"] >= .merge_calls)'
t "every folded run: the kernel and userspace agree (chunks - merged = VMAs)" jqr \
	'.oracle.runs | length >= 4 and all(.[]; .agree == true)'
vmas() { sed -n 's/.* vmas=\([0-9]*\).*/\1/p' "$d/oracle/$1.out"; }
# oracle CASE MERGED ATTEMPTS-PER-CHUNK VMAS: the kernel's and userspace's counts.
oracle() {
	local c=$1 merged=$2 calls=$3 want_vmas=$4
	t "oracle $c: mapchunks ran and the counts are complete" \
		jqo "$c" --arg a "$accel" '.status == 0 and .error == null and .per_mmap.mmaps == 17 and
			.env.accel == $a'
	t "oracle $c: $merged of 16 chunk mmaps merged" jqo "$c" --argjson m "$merged" '.per_mmap.merged == $m'
	t "oracle $c: $calls merge attempt(s) per chunk mmap" jqo "$c" --argjson k "$calls" \
		'.per_mmap.merge_calls_histogram[$k | tostring] >= 16'
	t "oracle $c: userspace counts $want_vmas VMA(s)" test "$(vmas "$c")" = "$want_vmas"
	t "oracle $c: the oracles agree (16 - kernel merges = userspace VMAs)" \
		jqo "$c" --argjson v "$(vmas "$c" || echo -1)" '16 - .per_mmap.merged == $v'
	t "oracle $c: folded into storm.json: $merged merged, $want_vmas VMA(s), agree" \
		jqr --arg c "$c" --argjson m "$merged" --argjson v "$want_vmas" \
		'.oracle.runs[$c] | .merged == $m and .vmas == $v and .chunks == 16 and .agree == true'
}
# Cases as tests/guest/oracle-collect.sh names them: DEVICE-PROFILE, and secretmem.
L=$MMAPBENCH_DBG_LEGACY P=$MMAPBENCH_DBG_PREPARE
if [ "$second" = 1 ]; then
	oracle "$L-$dd" 15 2 1		# the second merge: two attempts, the retry merges
	oracle secretmem 15 2 1		# secretmem's legacy .mmap, same story
	# Before v6.13 the retry did not look at VM_SPECIAL: it runs, and fails.
	oracle "$L-$special" 0 2 16
else
	oracle "$L-$dd" 0 1 16		# no retry: the flag change leaves every chunk alone
	oracle secretmem 15 1 1		# secretmem uses .mmap_prepare
	oracle "$L-$special" 0 1 16
fi
oracle "$L-$none" 15 1 1
if [ "$hook" != "$MMAPBENCH_HOOK_NONE" ]; then
	oracle "$P-$dd" 15 1 1		# flags set before the first attempt: it merges
	oracle "$P-$none" 15 1 1
	oracle "$P-$special" 0 1 16
fi
exit $bad
