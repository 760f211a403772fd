#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_harness.sh - the harness paths the storms do not reach: single-op timing,
# reported metrics and counts, skips and failures from a benchmark, and the module
# (profiles, pool, counters) faked with plain files under $MMAPBENCH_ROOT.
# TAP.  Asserts behaviour, never timings.  Needs jq.
set -u
dir=$(dirname "$0")/../../build/bench
MB=${MMAPBENCH:-$dir/mmapbench}
SELF=${MMAPBENCH_SELFTEST:-$dir/mmapbench-selftest}
. "$(dirname "$0")/lib.sh"

need jq
plan 49
res=$tmp/r.json
q="--samples 3 --warmup 1 -q -o $res"

# ---- selftest-fault: MB_F_TIME_EACH, MB_F_NEEDS_FD, mb_report, mb_count ----
# shellcheck disable=SC2086
run "$SELF" run -b selftest-fault -t anon,memfd,file $q
ok "$rc" "selftest-fault runs"
jq -e '[.cases[].target] == ["memfd", "file"]' "$res" >/dev/null
ok $? "MB_F_NEEDS_FD: no anon case"
jq -e 'all(.cases[]; .status == "ok" and (.metrics[] | select(.name == "fault") |
	.timing == "each" and .batch == 1 and (.samples | length) == 192 and
	.stats.n == 192 and ([.hist[][1]] | add) == 192))' "$res" >/dev/null
ok $? "MB_F_TIME_EACH: every op one sample (3 x 64), histogram adds up"
jq -e 'all(.cases[]; .metrics[] | select(.name == "vmas") |
	.timing == "reported" and .samples == [1, 1, 1] and .better == "none")' \
	"$res" >/dev/null
ok $? "mb_report: one value per measured sample, warm-up dropped"
jq -e 'all(.cases[]; .counts.pages_touched == 320 and .counts["hygiene.nohugepage"] == 5 and
	.counts.minflt >= 192)' "$res" >/dev/null
ok $? "mb_count over the whole case; rusage over the counts pass"
# perf software events: the same window as rusage, the measuring thread only
if jq -e '.env.perf.available' "$res" >/dev/null; then
	jq -e 'all(.cases[]; .counts["perf.page-faults"] == 192 and
		.counts["perf.minor-faults"] == 192 and .counts["perf.major-faults"] == 0 and
		.counts.minflt == .counts["perf.minor-faults"])' "$res" >/dev/null
	ok $? "perf: page-faults = minor-faults = minflt = the 3 x 64 pages touched"
	jq -e '.env.perf.error == null and (.env.perf.events | index("context-switches")) and
		all(.cases[]; .counts | has("perf.context-switches") and has("perf.cpu-migrations"))' \
		"$res" >/dev/null
	ok $? "perf: every case has every event, env names them"
	run "$MB" run -b storm -t anon -s 64k --map private --populate yes --threads 1,2 \
		--samples 2 --warmup 0 --batch 4 -q -o "$res"
	jq -e '[.cases[] | .counts] | length == 2 and
		all(.minflt > 0 and .["perf.page-faults"] == 0)' "$res" >/dev/null
	ok $? "perf: MAP_POPULATE's faults (GUP, no user regs) are in minflt, not perf; threads too"
else
	why=$(jq -r .env.perf.error "$res")
	skip "perf: page-faults = minor-faults = minflt" "perf_event_open unavailable: $why"
	skip "perf: every case has every event" "perf_event_open unavailable: $why"
	skip "perf: MAP_POPULATE's faults are in minflt, not perf" "perf_event_open unavailable: $why"
fi
run env MMAPBENCH_TEST_FAIL=perf "$SELF" run -b selftest-fault -t memfd --samples 2 \
	--warmup 0 -q -o "$res"
[ "$rc" -eq 0 ] && jq -e '.env.perf.available == false and
	(.env.perf.error | test("MMAPBENCH_TEST_FAIL=perf")) and
	all(.cases[]; .status == "ok" and (.counts | keys | all(startswith("perf.") | not)))' \
	"$res" >/dev/null
ok $? "perf_event_open refused: the reason once in env.perf.error, no perf.* count at all"

# ---- MB_F_FLOOR: the op in a bare loop after the samples (storm batched, fault each) ----
fl="-b storm,selftest-fault,selftest-nop -t anon,memfd -s 4k --map private --populate no"
# shellcheck disable=SC2086
run "$SELF" run $fl --threads 1,2 --samples 3 --warmup 1 -o "$res"
ok "$rc" "storm, selftest-fault and selftest-nop run with the floor"
printf '%s\n' "$out" | grep -q '^harness/floor: .*storm [0-9.]*.* (median over cases' &&
	printf '%s\n' "$out" | grep -q '^harness/floor: .*selftest [0-9.]*'
ok $? "summary: harness/floor per family"
jq -e '[.cases[] | select(.params.threads == 1 and .bench != "selftest-nop")] |
	length == 3 and all(.status == "ok" and (.metrics[0] |
	(.floor_ns | type == "number" and . > 0) and
	(.harness_ns | type == "number" and . > 0) and
	(.overhead_ratio | type == "number" and . > 0) and
	(.floor_ops | type == "number" and . > 0 and floor == .) and
	(.floor_loops | type == "number" and . > 0 and floor == .)))' "$res" >/dev/null
ok $? "floor: floor_ns, floor_ops, floor_loops, harness_ns, overhead_ratio on the first metric"
jq -e 'all(.cases[]; (.metrics[1:] | all(has("floor_ns") | not)) and
	(if .bench == "selftest-nop" or .params.threads != 1 then
	 (.metrics | all(has("floor_ns") or has("overhead_ratio") | not)) else true end))' \
	"$res" >/dev/null
ok $? "floor: absent from other metrics, other benchmarks and threaded cases"
jq -e 'all(.cases[]; .metrics[0] | select(has("floor_ns")) |
	((.overhead_ratio - .harness_ns / .floor_ns) | fabs) <= 1e-12 * .overhead_ratio)' \
	"$res" >/dev/null
ok $? "floor: overhead_ratio = harness_ns / floor_ns as written"
jq -e '[.cases[] | select(.bench == "storm" and .params.threads == 1) | .batch as $k |
	.metrics[0] | (.samples | add / length) as $mean |
	.harness_ns == .stats.median and .harness_ns == .stats.per_op and
	((.harness_mean_ns - $mean) | fabs) <= 1e-9 * $mean and
	.floor_loops == (.samples | length) and .floor_ops == .floor_loops * $k] |
	length == 2 and all' "$res" >/dev/null
ok $? "floor, batched: harness_ns is the median of batches, harness_mean_ns the mean; a loop of K ops per sample"
jq -e '[.cases[] | select(.bench == "selftest-fault") | .metrics[0] |
	([.samples | _nwise(64) | add / 64] | sort | .[1]) as $m |
	(.samples | add / length) as $mean |
	((.harness_ns - $m) | fabs) <= 1e-9 * $m and .harness_ns == .stats.per_op and
	((.harness_mean_ns - $mean) | fabs) <= 1e-9 * $mean and
	((.overhead_ratio_fast - .stats.median / .floor_ns) | fabs) <= 1e-12 * .overhead_ratio_fast and
	.floor_loops == (.samples | length) / 64 and .floor_ops == 64 * .floor_loops] |
	length == 1 and all' "$res" >/dev/null
ok $? "floor, timed each: harness_ns is the median of sample means, harness_mean_ns the mean per op"

# ---- the headline: per op, the median of sample means; its CI over the run's samples ----
jq -e '[.cases[] | select(.params.threads == 1) | .metrics[] | select(.unit == "ns")] |
	length > 0 and all(.headline == "per_op" and
	(.stats.per_op_samples == (if .timing == "each" then (.samples | length) / 64
	 else (.samples | length) end)) and
	.stats.per_op_ci95_lo <= .stats.per_op and .stats.per_op <= .stats.per_op_ci95_hi and
	.stats.mean_ci95_lo <= .stats.mean and .stats.mean <= .stats.mean_ci95_hi)' \
	"$res" >/dev/null
ok $? "headline: timings quote per_op, its CI over the samples (of K ops when timed each)"
jq -e '[.cases[] | .metrics[] | select(.unit != "ns")] | length > 0 and
	all(.headline == "median" and (.stats | has("per_op") or has("mean_ci95_lo") | not))' \
	"$res" >/dev/null
ok $? "headline: rates and reported values are quoted as the median"
jq -e '[.cases[] | select(.bench == "selftest-fault") | .metrics[0] |
	(.samples | _nwise(64) | add / 64)] as $m | ($m | add / length) as $mu |
	([$m[] | (. - $mu) * (. - $mu)] | add / 2 | sqrt) as $s |
	[.cases[] | select(.bench == "selftest-fault") | .metrics[0].stats][0] |
	((.mean_ci95_hi - .mean) - 4.3027 * $s / (3 | sqrt) | fabs) <= 1e-6 * (.mean + 1)' \
	"$res" >/dev/null
ok $? "headline: the mean's CI is +- t(0.975, 2) s / sqrt(3) over the 3 sample means"
printf '%s\n' "$out" | grep -q 'HEADLINE' && printf '%s\n' "$out" | grep -q 'not across runs' &&
	printf '%s\n' "$out" | grep -q 'FAST: median single op'
ok $? "summary: says which statistic it shows and what its CI covers"

# ---- counts: a separate untimed pass, no perf event open while timing ----
jq -e '.env.counts.how == "pass" and all(.cases[]; .counts_samples == 3) and
	([.cases[] | select(.bench == "selftest-fault") | .counts.ops_per_step] == [192])' \
	"$res" >/dev/null
ok $? "counts pass: as many samples as measured, ops_per_step over them"
run "$SELF" run -b selftest-fault -t memfd --samples 7 --warmup 0 -q -o "$tmp/c7.json"
[ "$rc" -eq 0 ] && jq -e '.cases[0] | .counts_samples == 5 and
	.counts.ops_per_step == 5 * .batch' "$tmp/c7.json" >/dev/null
ok $? "counts pass: at most 5 samples (MB_COUNTS_SAMPLES), ops_per_step over them"
if jq -e '.env.perf.available' "$res" >/dev/null; then
	jq -e '[.cases[] | select(.bench == "selftest-fault")] | length == 1 and
		all(.counts["selftest.perf_fds"] == 0 and .counts["perf.minor-faults"] == 192)' \
		"$res" >/dev/null
	ok $? "counts pass: no perf event open around timed samples, perf counts all the same"
else
	skip "counts pass: no perf event open around timed samples" \
		"perf_event_open unavailable: $(jq -r .env.perf.error "$res")"
fi
jq -e '.env.counter_resolution_ticks >= 1 and .env.counter_read_ticks >= .env.counter_resolution_ticks and
	.env.counter_step_ticks >= 0 and .env.counter_step_seen_n > 0 and
	(.env.counter_step_seen_ticks | . == null or . >= 1)' "$res" >/dev/null
ok $? "counter: resolution, read cost, step between reads and the step seen in single-op timings"
jq -e '.env.floor.enabled and (.env.floor.what | type == "string") and
	.env.floor.cases == {"storm": 2, "selftest": 1} and
	.env.floor.overhead_ratio.selftest ==
	([.cases[] | select(.bench == "selftest-fault")][0].metrics[0].overhead_ratio) and
	([.cases[] | select(.family == "storm") | .metrics[0].overhead_ratio | numbers] | sort) as $r |
	.env.floor.overhead_ratio.storm == ($r | add / 2)' "$res" >/dev/null
ok $? "floor: env.floor.overhead_ratio is the median over a family's cases"
# shellcheck disable=SC2086
run "$SELF" run $fl --threads 1 --samples 3 --warmup 1 --no-floor -o "$res"
[ "$rc" -eq 0 ] && ! printf '%s\n' "$out" | grep -q 'harness/floor' &&
	jq -e '.env.floor.enabled == false and .env.floor.overhead_ratio == {} and
	all(.cases[]; .status == "ok" and (.metrics | all(has("floor_ns") or
	has("floor_ops") or has("overhead_ratio") or has("harness_ns") | not)))' \
	"$res" >/dev/null
ok $? "--no-floor: no floor fields, no summary line, env.floor.enabled false"

# ---- selftest-merge: MB_F_BATCH_COUNT, .span, merging needs the same struct file ----
run "$SELF" run -b selftest-merge -t memfd,devzero,file --count 4 --samples 3 --warmup 1 \
	--batch 99 -q -o "$res"
ok "$rc" "selftest-merge runs"
jq -e 'all(.cases[]; .status == "ok" and .batch == 4 and .params.count == 4 and
	.params.span == 16384)' "$res" >/dev/null
ok $? "MB_F_BATCH_COUNT: K = --count (not --batch), span from the benchmark"
jq -e '[.cases[] | [.target, (.metrics[] | select(.name == "vmas") | .samples)]] ==
	[["memfd", [1, 1, 1]], ["devzero", [4, 4, 4]], ["file", [1, 1, 1]]]' \
	"$res" >/dev/null
ok $? "consecutive chunks of one file merge; /dev/zero (a new object each) does not"

# ---- benchmark skips and failures ----
# shellcheck disable=SC2086
run "$SELF" run -b selftest-skip -t anon,memfd,devzero,file $q
[ "$rc" -eq 1 ]
ok $? "a benchmark that fails a case: exit 1"
jq -e '[.cases[] | [.target, .status]] ==
	[["anon", "ok"], ["memfd", "skipped"], ["devzero", "failed"]]' "$res" >/dev/null
ok $? ".targets limits the cases; setup skips and fails per target"
jq -e '(.cases[1].reason == "declined on purpose") and
	(.cases[2].reason == "failed on purpose")' "$res" >/dev/null
ok $? "mb_skip/mb_fail reasons recorded"
run "$SELF" run -b selftest-late --batch 1 --samples 10 --warmup 0 -q -o "$res"
[ "$rc" -eq 1 ] && jq -e '.cases[0].status == "failed" and
	(.cases[0].reason | test("op 0 of 1: Input/output error")) and
	(.cases[0].metrics == [])' "$res" >/dev/null
ok $? "an op failing mid-run fails the case with the op and errno, keeps no numbers"

# ---- the module, faked: its files where mmapbench_abi.h puts them (list --abi) ----
eval "$("$MB" list --abi)"
root=$tmp/root
par=$root$MMAPBENCH_PARAMS_DIR
mkdir -p "$par" "$root/dev"
echo "$MMAPBENCH_HOOK_MMAP_PREPARE" >"$par/$MMAPBENCH_PARAM_HOOK"
echo "$MMAPBENCH_PROFILE_NONE" >"$par/$MMAPBENCH_PARAM_PROFILE"
echo 4 >"$par/$MMAPBENCH_PARAM_POOL_MB"
echo N >"$par/$MMAPBENCH_PARAM_MAP_PAGES"	# a bool parameter reads as Y or N
: >"$root$MMAPBENCH_DEV_LEGACY_PATH"
: >"$root$MMAPBENCH_DEV_PREPARE_PATH"
for d in "$MMAPBENCH_DBG_LEGACY" "$MMAPBENCH_DBG_PREPARE"; do
	mkdir -p "$root$MMAPBENCH_DEBUGFS_DIR/$d"
	for c in $(echo "$MMAPBENCH_COUNTERS" | tr , ' '); do
		echo 7 >"$root$MMAPBENCH_DEBUGFS_DIR/$d/$c"
	done
done
run env MMAPBENCH_ROOT="$root" "$MB" run -b storm -t legacy,prepare,anon -p none,dontdump \
	-s 4k,8m --map shared --populate no --threads 1 --samples 2 --warmup 1 -q -o "$res"
ok "$rc" "storm on the faked module runs"
jq -e '.env.module == {"loaded": true, "hook": "mmap_prepare", "profile": "none",
	"pool_mb": 4, "map_pages": false}' "$res" >/dev/null
ok $? "module parameters recorded in env.module"
jq -e '[.cases[] | select(.params.size == 4096) | [.target, .profile, .status]] ==
	[["legacy", "none", "ok"], ["legacy", "dontdump", "ok"], ["prepare", "none", "ok"],
	 ["prepare", "dontdump", "ok"], ["anon", null, "ok"]]' "$res" >/dev/null
ok $? "one case per profile for module targets, one (profile null) for the others"
jq -e '[.cases[] | select(.params.size == 8388608 and .target != "anon")] | length == 4 and
	all(.status == "skipped" and (.reason | test("pool")))' "$res" >/dev/null
ok $? "sizes beyond pool_mb skipped for module targets"
jq -e '[.cases[] | select(.params.size == 4096 and .target != "anon")] |
	all(.counts["module.hook_calls"] == 0 and .counts["module.faults"] == 0 and
	    .interleaved == true)' "$res" >/dev/null
ok $? "debugfs counters read as deltas; target/profile cases interleaved"
[ "$(cat "$par/$MMAPBENCH_PARAM_PROFILE")" = none ]
ok $? "the module's profile is restored after the run"

# the profile really is written while the cases run (killed mid-run: not restored)
echo none >"$par/$MMAPBENCH_PARAM_PROFILE"
rm -f "$res"
MMAPBENCH_ROOT="$root" "$MB" run -b storm -t legacy -p dontdump -s 4k --map shared \
	--populate no --threads 1 --samples 100000 -q -o "$res" 2>"$tmp/err" &
pid=$!
i=0
while [ "$(cat "$par/$MMAPBENCH_PARAM_PROFILE")" != dontdump ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -KILL $pid
wait $pid 2>/dev/null
[ "$(cat "$par/$MMAPBENCH_PARAM_PROFILE")" = dontdump ] && [ ! -e "$res" ]
ok $? "the module profile is switched for the case"

echo mmap_prepare >"$par/$MMAPBENCH_PARAM_HOOK"
rm "$par/$MMAPBENCH_PARAM_PROFILE"
ln -s /dev/full "$par/$MMAPBENCH_PARAM_PROFILE"
run env MMAPBENCH_ROOT="$root" "$MB" run -b storm -t legacy -p dontdump -s 4k \
	--map shared --populate no --samples 1 --warmup 0 -q -o "$res"
[ "$rc" -eq 0 ] && jq -e '.cases[0].status == "skipped" and
	(.cases[0].reason | test("cannot switch module profile to .dontdump."))' \
	"$res" >/dev/null
ok $? "a profile that cannot be written: skipped, says why"

rm "$par/$MMAPBENCH_PARAM_PROFILE"
echo none >"$par/$MMAPBENCH_PARAM_PROFILE"
echo none >"$par/$MMAPBENCH_PARAM_HOOK"
run env MMAPBENCH_ROOT="$root" "$MB" run -b storm -t prepare -s 4k --map shared \
	--populate no --samples 1 --warmup 0 -q -o "$res"
[ "$rc" -eq 0 ] && jq -e '.cases[0].status == "skipped" and
	(.cases[0].reason | test("hook=none"))' "$res" >/dev/null
ok $? "prepare skipped when the module has no .mmap_prepare (hook=none)"

# ---- storm-beside: the pair merges with an anonymous neighbour, then splits ----
run "$MB" run -b storm,storm-beside -t anon,memfd -s 4k,64k --map private --populate no \
	--threads 1 --samples 2 --warmup 0 -q -o "$res"
[ "$rc" -eq 0 ] && jq -e '[.cases[] | select(.bench == "storm-beside")] |
	length == 2 and all(.target == "anon" and .status == "ok" and
	.counts["beside.merged_vmas"] == 2 and .metrics[0].name == "mmap+munmap" and
	(.metrics[0].floor_ns | type == "number"))' "$res" >/dev/null &&
	jq -e '[.cases[] | select(.bench == "storm")] | length == 4' "$res" >/dev/null
ok $? "storm-beside: anon private only, merged with its neighbour (2 VMAs), a floor; storm beside it"

# ---- --tasks: --threads N as N threads (one mm) or N forked processes (one mm each) ----
tk="-b selftest-tasks --threads 1,2 --samples 3 --warmup 1 -q"
run "$SELF" run $tk -o "$res"
[ "$rc" -eq 0 ] && jq -e '[.cases[] | select(.status == "ok" and (.params | has("tasks") | not))] |
	length == 2 and all(.counts.tasks_distinct_pids == 1 and
	.counts.tasks_in_harness_process == .params.threads and
	.counts.tasks_write_seen_by_harness == 1)' "$res" >/dev/null
ok $? "--tasks threads (default): every task in the harness's process, one address space"
cp "$res" "$tmp/threads.json"
run "$SELF" run $tk --tasks processes -o "$res"
ok "$rc" "--tasks processes runs"
jq -e '[.cases[] | select(.params.threads == 2)] | length == 1 and all(.status == "ok" and
	.params.tasks == "processes" and .counts.tasks_distinct_pids == 2 and
	.counts.tasks_in_harness_process == 0 and .counts.tasks_write_seen_by_harness == 0)' \
	"$res" >/dev/null
ok $? "--tasks processes: 2 tasks, 2 processes, neither the harness's; their writes not in its memory"
jq -e '[.cases[] | select(.params.threads == 1)] | length == 1 and all(.status == "ok" and
	(.params | has("tasks") | not) and .counts.tasks_in_harness_process == 1)' "$res" >/dev/null
ok $? "--tasks processes: one task runs in the harness's process, as with threads (no params.tasks)"
jq -n -e --slurpfile a "$tmp/threads.json" --slurpfile b "$res" '
	[$a[0], $b[0] | [.cases[] | select(.params.threads == 2) | .metrics[] |
	{name, n: (.samples | length)}]] | .[0] == .[1] and (.[0] | length) >= 2' >/dev/null
ok $? "--tasks processes: the same metrics (per-task and ops/s) with as many samples as threads"
run "$SELF" run $tk --tasks forks -o "$res"
[ "$rc" -eq 2 ] && grep -q -- "--tasks: 'forks' is not threads or processes" "$tmp/err"
ok $? "--tasks forks: usage error, exit 2"

[ "$failed" -eq 0 ]
