#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_badfiles.sh - plausible-looking wrong files the parser fuzzers' harnesses
# (tests/fuzz) pointed at: each is refused with a message naming what is wrong,
# where before it was read as if it were right.  compare: exit 2 on a bad set;
# hfcheck: exit 1 on an unusable input (its documented status).
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_badfiles.sh
set -u
MB=${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}
B=$(dirname "$MB")
. "$(dirname "$0")/lib.sh"
plan 11

# results FILE SAMPLES: a one-case results file
results() {
	printf '{"schema":"mmapbench-results/1","tool":{"version":"t"},"env":{"kernel_release":"k"},"cases":[{"bench":"storm","target":"anon","status":"ok","metrics":[{"name":"mmap","unit":"ns","better":"lower","samples":[%s]}]}]}\n' "$2" >"$1"
}
# harness FILE MEDIAN LO HI N BATCH, pilot FILE [EXTRA]
harness() {
	printf '{"schema":"mmapbench-results/1","cases":[{"status":"ok","metrics":[{"name":"mmap","unit":"ns","timing":"batch","batch":%s,"stats":{"median":%s,"ci95_lo":%s,"ci95_hi":%s,"n":%s}}]}]}\n' \
		"$6" "$2" "$3" "$4" "$5" >"$1"
}
pilot() {
	printf '{"results":[{"command":"mmapbench run --ops 0","median":0.01,"mean":0.01,"stddev":0.001,"user":0.002,"system":0.002,"times":[0.01,0.01],"exit_codes":[0,0]%s}]}\n' "${2:-}" >"$1"
}

results "$tmp/a.json" "10,11,12,13,14,15"
run "$B/mmapbench-compare" "$tmp/a.json" "$tmp/a.json"
ok $((rc != 0)) "compare: a well-formed file compares (exit $rc)"
results "$tmp/neg.json" "10,11,-12,13,14,15"
run "$B/mmapbench-compare" "$tmp/neg.json" "$tmp/a.json"
grep -q 'samples\[2\] is negative' "$tmp/err"
ok $((rc != 2 || $? != 0)) "compare: a negative time is refused, exit 2 (exit $rc)"
results "$tmp/big.json" "10,11,1e999"
run "$B/mmapbench-compare" "$tmp/big.json" "$tmp/a.json"
grep -q 'not JSON' "$tmp/err"
ok $((rc != 2 || $? != 0)) "compare: a number past the doubles (1e999) is refused, exit 2 (exit $rc)"
sed 's/"status":"ok"/"status":"ok","status":"skipped"/' "$tmp/a.json" >"$tmp/dup.json"
run "$B/mmapbench-compare" "$tmp/dup.json" "$tmp/a.json"
grep -q 'duplicate' "$tmp/err"
ok $((rc != 2 || $? != 0)) "compare: a key given twice is refused, exit 2 (exit $rc)"

harness "$tmp/h.json" 100 90 110 5 8
pilot "$tmp/p.json"
run "$B/mmapbench-hfcheck" k "$tmp/h.json" "$tmp/p.json"
ok $((rc != 0)) "hfcheck k: a well-formed pair gives a K (exit $rc: $out)"
pilot "$tmp/pdup.json" ',"median":0.5'
run "$B/mmapbench-hfcheck" k "$tmp/h.json" "$tmp/pdup.json"
grep -q 'duplicate' "$tmp/err"
ok $((rc != 1 || $? != 0)) "hfcheck k: hyperfine's JSON with a key given twice is refused (exit $rc)"
for bad in "0 8:n 0" "5 0:batch 0" "-3 8:n negative" "5 2.5:batch not an integer"; do
	set -- ${bad%%:*}
	harness "$tmp/hb.json" 100 90 110 "$1" "$2"
	run "$B/mmapbench-hfcheck" k "$tmp/hb.json" "$tmp/p.json"
	grep -q 'no sample count or batch size' "$tmp/err"
	ok $((rc != 1 || $? != 0)) "hfcheck k: a harness file with ${bad#*:} is refused (exit $rc)"
done
harness "$tmp/hci.json" 100 120 130 5 8
run "$B/mmapbench-hfcheck" k "$tmp/hci.json" "$tmp/p.json"
grep -q 'does not hold its median' "$tmp/err"
ok $((rc != 1 || $? != 0)) "hfcheck k: a CI that does not hold its median is refused (exit $rc)"

[ "$failed" -eq 0 ]
