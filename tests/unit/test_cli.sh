#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_cli.sh - mmapbench's command line: exit codes, messages, the results file.
# TAP.  Asserts behaviour, never timings.  Needs jq.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_cli.sh
set -u
MB=${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}
. "$(dirname "$0")/lib.sh"
# the module's device, where mmapbench_abi.h puts it (a host may have the module loaded)
dev_legacy=$("$MB" list --abi | sed -n "s/^MMAPBENCH_DEV_LEGACY_PATH='\(.*\)'\$/\1/p")

# A usage error: exit 2, one "mmapbench: ..." line matching PATTERN, then the hint.
usage() {	# usage DESCRIPTION PATTERN ARGS...
	desc=$1
	pat=$2
	shift 2
	run "$MB" "$@"
	[ "$rc" -eq 2 ] && head -n 1 "$tmp/err" | grep -q "^mmapbench: .*$pat" &&
		grep -q "^Try 'mmapbench --help'" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 2 ]
	ok $? "$desc -> exit 2 with a one-line message and a hint"
}

need jq
plan 69

# ---- help, version, usage errors ----
run "$MB" --help
st=1
[ "$rc" -eq 0 ] && st=0
for o in --bench --target --profile --size --samples --sample-min --warmup --threads --cpu --seed \
	--accel --file --suite --no-floor -o -q; do
	printf '%s\n' "$out" | grep -q -- "$o" || st=1
done
ok $st "--help exits 0 and documents every option"
run "$MB" --version
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q '^mmapbench '
ok $? "--version exits 0"

usage "no command" "missing command"
usage "unknown command" "unknown command 'frobnicate'" frobnicate
usage "unknown long option" "unknown option '--frobnicate'" run --frobnicate
usage "unknown short option" "unknown option '-Z'" run -Z
usage "option without its argument" "needs an argument" run -b
usage "unknown target" "unknown target 'nosuch'" run -t anon,nosuch
usage "unknown benchmark" "unknown benchmark 'nosuch'" run -b nosuch
usage "bad size" "bad size '4q'" run -s 4q
usage "size not a page multiple" "out of range" run -s 1000
usage "size zero" "out of range" run -s 0
usage "empty list item" "bad list" run -s 4k,,2m
usage "samples 0" "out of range" run --samples 0
usage "samples too many" "out of range" run --samples 100001
usage "samples not a number" "not a number" run --samples ten
usage "sample-min too long" "out of range" run --sample-min 1000000001
usage "sample-min not a number" "not a number" run --sample-min 5ms
usage "threads 0" "not a thread count" run --threads 0
usage "unknown profile" "unknown profile 'bogus'" run -p bogus
usage "unknown suite" "unknown suite 'bogus'" run --suite bogus
usage "cpu not ours" "not among" run --cpu 1023
usage "cpu out of range" "out of range" run --cpu 4096
usage "count axis unused" "no.*count axis\|none of the selected" run -b storm --count 5
usage "bad map type" "not private or shared" run --map both
usage "bad accel name" "not a name" run --accel 'a b'
usage "stray argument" "unexpected argument" run storm

# ---- list ----
run "$MB" list
st=0
[ "$rc" -eq 0 ] || st=1
for w in storm storm-vmas legacy prepare anon memfd secretmem file devzero quick default; do
	printf '%s\n' "$out" | grep -qw -- "$w" || st=1
done
ok $st "list exits 0 and names every benchmark, target and suite"
if [ ! -e "${dev_legacy:?}" ]; then
	printf '%s\n' "$out" | grep -A1 '^  legacy ' | grep -q 'not loaded'
	ok $? "list gives the reason legacy is unavailable"
else
	skip "list gives the reason legacy is unavailable" "module loaded"
fi

# ---- a quick run ----
res=$tmp/quick.json
run "$MB" run --suite quick -o "$res"
ok "$rc" "run --suite quick exits 0"
[ -s "$res" ] && jq -e . "$res" >/dev/null
ok $? "the results file is JSON that jq parses"
[ ! -e "$res.tmp" ]
ok $? "no FILE.tmp left behind"
jq -e '.schema == "mmapbench-results/1" and .tool.name == "mmapbench" and
	(.tool.version | type) == "string"' "$res" >/dev/null
ok $? "schema and tool recorded"
jq -e '.env | (.kernel_release | type) == "string" and .machine != null and
	.counter != null and .counter_hz > 0 and .counter_hz_end > 0 and
	(.counter_drift_ppm | type) == "number" and .counter_resolution_ticks > 0 and
	(.overhead_ns | type) == "number" and .overhead_ns > 0 and .ncpus >= 1 and
	(.argv | length) > 0 and .hygiene.interleaved == true and .hygiene.seed == 1 and
	(.module | has("loaded")) and .accel != null and (.date | test("Z$"))' "$res" >/dev/null
ok $? "env: kernel, counter rates, overhead, hygiene, module, argv"
jq -e '.env.hygiene.sample_min_ns == 200000 and
	.env.hygiene.calibration_target_ticks >= .env.counter_hz * 0.0002 * 0.999' "$res" >/dev/null
ok $? "the quick suite calibrates batches to 200 us (hygiene.sample_min_ns)"
run "$MB" run -b storm -t anon -s 4k --map private --populate no --samples 2 --warmup 0 \
	--no-floor --no-counts --sample-min 1000000 -o "$tmp/smin.json"
[ "$rc" -eq 0 ] && jq -e '.env.hygiene.sample_min_ns == 1000000 and
	.env.hygiene.calibration_target_ticks >= .env.counter_hz * 0.001 * 0.999' \
	"$tmp/smin.json" >/dev/null
ok $? "--sample-min NS sets what a calibrated batch lasts"
for t in anon memfd devzero; do
	jq -e --arg t "$t" '[.cases[] | select(.target == $t)] | length > 0 and
		all(.status == "ok" and (.metrics | length) >= 3 and
		    all(.metrics[]; (.samples | length) == .stats.n and .stats.n > 0 and
			all(.samples[]; type == "number" and . > 0) and
			.stats.min <= .stats.median and .stats.median <= .stats.max and
			.stats.ci95_lo <= .stats.median and .stats.median <= .stats.ci95_hi))' \
		"$res" >/dev/null
	ok $? "$t: every case ok, samples kept, stats consistent"
done
jq -e '[.cases[] | select(.bench == "storm" and .target == "anon")][0].metrics |
	map(.name) | index("mmap+munmap") != null and index("mmap") != null and
	index("munmap") != null and index("mmap+munmap ops/s") != null and
	index("mmap+munmap ops/s/thread") != null' "$res" >/dev/null
ok $? "storm reports mmap+munmap, mmap, munmap and ops/s metrics"
jq -e '[.cases[] | select(.status == "ok") | .metrics[] | select(.unit == "ns")] |
	all(.better == "lower")' "$res" >/dev/null
ok $? "ns metrics say lower is better"
if [ ! -e "${dev_legacy:?}" ]; then
	jq -e '[.cases[] | select(.target == "legacy" or .target == "prepare")] |
		length > 0 and all(.status == "skipped" and (.reason | length) > 0 and
		(.metrics | length) == 0)' "$res" >/dev/null
	ok $? "legacy/prepare skipped with a reason, without numbers"
else
	skip "legacy/prepare skipped with a reason" "module loaded"
fi
jq -e '[.cases[] | select(.target == "secretmem" and .params.flags == "private")] |
	all(.status == "skipped" and (.reason | test("MAP_SHARED")))' "$res" >/dev/null
ok $? "secretmem private cases skipped: MAP_SHARED only"
jq -e '[.cases[] | select(.target != "legacy" and .target != "prepare")] |
	all(.profile == null)' "$res" >/dev/null
ok $? "profile is null for non-module targets"
printf '%s\n' "$out" | grep -q 'HEADLINE' && printf '%s\n' "$out" | grep -q 'lower'
ok $? "a summary table on stdout"

# ---- options reach the file ----
res2=$tmp/small.json
run env MMAPBENCH_ACCEL=tcg "$MB" run -b storm -t anon -s 4k --map private --populate no \
	--threads 1 --samples 3 --warmup 0 --batch 7 --seed 9 -q -o "$res2"
[ "$rc" -eq 0 ] && [ -z "$out" ]
ok $? "-q: exit 0 and nothing on stdout"
jq -e '(.cases | length) == 1 and .cases[0].batch == 7 and
	all(.cases[0].metrics[]; .batch == 7 and .stats.n == 3) and
	.env.hygiene.seed == 9 and .env.hygiene.warmup == 0 and .env.accel == "tcg" and
	.cases[0].params == {"size": 4096, "flags": "private", "populate": false, "threads": 1}' \
	"$res2" >/dev/null
ok $? "--batch, --samples, --seed, --warmup, MMAPBENCH_ACCEL and params recorded"
run env MMAPBENCH_ACCEL=tcg "$MB" run -b storm -t anon -s 4k --map private --populate no \
	--samples 1 --warmup 0 --accel kvm -q -o "$res2"
jq -e '.env.accel == "kvm"' "$res2" >/dev/null
ok $? "--accel overrides MMAPBENCH_ACCEL"

run "$MB" run -b storm -t anon,memfd -s 4k --map private --populate no --threads 1,2 \
	--samples 2 --warmup 0 -q -o "$res2"
[ "$rc" -eq 0 ] && jq -e '[.cases[] | .params.threads] | sort == [1, 1, 2, 2]' "$res2" \
	>/dev/null && jq -e '[.cases[] | select(.params.threads == 2)] | all(.status == "ok" and
	(.cpus | length) == 2 and (.metrics | map(.name) | index("mmap+munmap ops/s") != null))' \
	"$res2" >/dev/null
ok $? "--threads 1,2: both thread counts run, two CPUs recorded, aggregate ops/s"

run "$MB" run -b storm -t file --file "$tmp/backing" -s 8k --map shared --populate yes \
	--samples 2 --warmup 0 -q -o "$res2"
[ "$rc" -eq 0 ] && [ "$(stat -c %s "$tmp/backing")" -ge 8192 ] &&
	jq -e --arg p "$tmp/backing" '.cases[0].status == "ok" and
		.cases[0].target_info.path == $p' "$res2" >/dev/null
ok $? "--file: the file target maps the given file, sized to the mapping"

max=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)
if [ "$max" -lt 101000 ]; then
	run "$MB" run -b storm-vmas -t anon --count 100000 --samples 1 --warmup 0 -q -o "$res2"
	[ "$rc" -eq 0 ] && jq -e '.cases[0].status == "skipped" and
		(.cases[0].reason | test("max_map_count"))' "$res2" >/dev/null
	ok $? "storm-vmas with more VMAs than vm.max_map_count allows: skipped, says why"
else
	skip "storm-vmas over vm.max_map_count" "vm.max_map_count is $max"
fi

# ---- failures ----
run "$MB" run -b storm -t file --file /dev/null -s 4k --map shared --populate no \
	--samples 2 --warmup 0 -q -o "$res2"
[ "$rc" -eq 1 ] && jq -e '.cases[0].status == "failed" and
	(.cases[0].reason | length) > 0 and (.cases[0].metrics | length) == 0' \
	"$res2" >/dev/null
ok $? "a case whose mmap fails: exit 1, status failed with the reason, no numbers"

res3=$tmp/forced.json
run env MMAPBENCH_TEST_FAIL=write "$MB" run -b storm -t anon -s 4k --map private \
	--populate no --samples 1 --warmup 0 -q -o "$res3"
[ "$rc" -eq 1 ] && [ ! -e "$res3" ] && [ ! -e "$res3.tmp" ] &&
	grep -q "cannot write" "$tmp/err"
ok $? "a failure while writing: exit 1, neither FILE nor FILE.tmp"
echo old >"$res3"
run env MMAPBENCH_TEST_FAIL=write "$MB" run -b storm -t anon -s 4k --map private \
	--populate no --samples 1 --warmup 0 -q -o "$res3"
[ "$rc" -eq 1 ] && [ "$(cat "$res3")" = old ] && [ ! -e "$res3.tmp" ]
ok $? "a failure while writing leaves an existing FILE as it was"
run "$MB" run -b storm -t anon -s 4k --samples 1 -q -o "$tmp/no/such/dir/r.json"
[ "$rc" -eq 1 ] && grep -q "cannot write" "$tmp/err" && [ ! -e "$tmp/no" ]
ok $? "an unwritable -o path: exit 1 before measuring"

# ---- --ops: one case as a whole process, for hyperfine ----
sel="-b storm -t anon -s 4k --map private --populate no --threads 1"
usage "--ops not a number" "--ops: 'ten' is not a number" run $sel --ops ten
usage "--ops out of range" "--ops: .* out of range" run $sel --ops 1000000001
usage "--ops with -o" "--ops writes no results" run $sel --ops 5 -o "$tmp/ops.json"
usage "--ops with --samples" "--ops takes no --samples" run $sel --ops 5 --samples 3
usage "--ops with --batch" "--ops takes no" run $sel --ops 5 --batch 3
usage "--ops with two cases" "--ops needs exactly one case, the selection gives 2" \
	run -b storm -t anon,memfd -s 4k --map private --populate no --threads 1 --ops 5
usage "--ops with two threads" "--ops runs one thread, not 2" \
	run -b storm -t anon -s 4k --map private --populate no --threads 2 --ops 5
usage "--ops on a fixed-batch benchmark" "--ops: merge runs its ops in batches" \
	run -b merge -t memfd -s 16k --map private --count 16 --ops 5
[ ! -e "$tmp/ops.json" ]
ok $? "--ops with -o writes nothing"
for k in 0 1000; do
	run "$MB" run $sel --ops $k
	[ "$rc" -eq 0 ] && [ -z "$out" ] && [ ! -s "$tmp/err" ]
	ok $? "--ops $k: exit 0, silent"
done
run "$MB" run -b storm -t memfd -s 4k --map shared --populate yes --threads 1 --ops 100
ok "$rc" "--ops on an fd target with MAP_POPULATE: exit 0"
if [ ! -e "${dev_legacy:?}" ]; then
	run "$MB" run -b storm -t legacy -s 4k --map shared --populate no --threads 1 --ops 5
	[ "$rc" -eq 3 ] && grep -q '^mmapbench: skipped: legacy: .*not loaded' "$tmp/err"
	ok $? "--ops on a target that cannot run here: exit 3, 'skipped:' and the reason"
else
	skip "--ops on an unavailable target" "module loaded"
fi
run "$MB" run -b storm -t file --file /dev/null -s 4k --map shared --populate no \
	--threads 1 --ops 5
[ "$rc" -eq 1 ] && grep -q '^mmapbench: failed: file: ' "$tmp/err"
ok $? "--ops whose op fails: exit 1, 'failed:' and the reason"

[ "$failed" -eq 0 ]
