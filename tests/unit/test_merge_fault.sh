#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_merge_fault.sh - the merge and fault families on this machine's own kernel
# (anon, memfd): VMA counts, merge rates, fault counts and the results' format.
# TAP.  Asserts counts and formats, never timings.  Needs jq.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_merge_fault.sh
set -u
MB=${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}
. "$(dirname "$0")/lib.sh"

need jq
plan 23
res=$tmp/r.json
q="--samples 3 --warmup 1 -q -o $res"

# ---- merges ----
# shellcheck disable=SC2086
run "$MB" run -b merge,merge-desc -t memfd,anon --map shared,private --count 16 -s 16k $q
ok "$rc" "merge and merge-desc run on memfd and anon"
jq -e '[.cases[] | select(.status == "ok")] | length == 8 and
	all(.family == "merge" and .params.count == 16 and .params.size == 16384 and
	    .params.span == 262144 and .batch == 16)' "$res" >/dev/null
ok $? "every case ok; params count, size, span; batch = --count"
jq -e 'all(.cases[]; [.metrics[].name] == ["mmap", "vmas", "merge-rate", "munmap-range"])' \
	"$res" >/dev/null
ok $? "metrics: mmap (timed), vmas, merge-rate, munmap-range (reported)"
jq -e 'all(.cases[].metrics[] | select(.name == "mmap");
	.timing == "batch" and .batch == 16 and .unit == "ns" and .better == "lower" and
	.stats.n == 3) and
	all(.cases[].metrics[] | select(.name != "mmap");
	.timing == "reported" and (.samples | length) == 3)' "$res" >/dev/null
ok $? "mmap timed per op over the batch of N maps; one reported value per sample"
for b in merge merge-desc; do
	jq -e --arg b "$b" '[.cases[] | select(.bench == $b and .target == "memfd")] |
		length == 2 and all(.metrics[] | select(.name == "vmas") | .samples == [1, 1, 1])' \
		"$res" >/dev/null
	ok $? "$b: 16 memfd chunks (shared and private) end in 1 VMA"
done
jq -e '[.cases[] | select(.target == "memfd")] | all(.metrics[] |
	select(.name == "merge-rate") | .unit == "ratio" and .better == "higher" and
	.samples == [1, 1, 1])' "$res" >/dev/null
ok $? "merge-rate 1 when everything merged"
jq -e '[.cases[] | select(.target == "anon") | [.params.flags,
	(.metrics[] | select(.name == "vmas") | .samples)]] | sort ==
	[["private", [1, 1, 1]], ["private", [1, 1, 1]], ["shared", [16, 16, 16]],
	 ["shared", [16, 16, 16]]]' "$res" >/dev/null
ok $? "anon: private chunks merge (1 VMA), shared ones never (16)"
jq -e '[.cases[] | select(.target == "anon" and .params.flags == "shared") |
	.metrics[] | select(.name == "merge-rate") | .samples] | all(. == [0, 0, 0])' \
	"$res" >/dev/null
ok $? "merge-rate 0 when nothing merged"

# shellcheck disable=SC2086
run "$MB" run -b merge-gap,merge-fill,merge-split -t memfd --map shared --count 16 -s 16k $q
ok "$rc" "merge-gap, merge-fill and merge-split run on memfd"
jq -e '[.cases[] | select(.bench == "merge-gap")][0] |
	.params.span == (16 * 20480) and
	(.metrics[] | select(.name == "vmas") | .samples == [16, 16, 16]) and
	(.metrics[] | select(.name == "merge-rate") | .samples == [0, 0, 0])' \
	"$res" >/dev/null
ok $? "merge-gap: a one-page gap, N VMAs, merge rate 0"
jq -e '[.cases[] | select(.bench == "merge-fill")][0] |
	.params.span == (33 * 16384) and .batch == 16 and
	(.metrics[] | select(.name == "vmas") | .samples == [1, 1, 1])' "$res" >/dev/null
ok $? "merge-fill: 2N+1 chunks, N timed fills, three-way merges into 1 VMA"
jq -e '[.cases[] | select(.bench == "merge-split")][0] |
	[.metrics[].name] == ["munmap-split", "vmas-before", "merge-rate", "vmas"] and
	(.metrics[] | select(.name == "vmas-before") | .samples == [1, 1, 1]) and
	(.metrics[] | select(.name == "vmas") | .samples == [17, 17, 17])' "$res" >/dev/null
ok $? "merge-split: 1 VMA before, N+1 after a hole in each chunk"

# shellcheck disable=SC2086
run "$MB" run -b merge-split -t memfd --map shared --count 4 -s 8k $q
[ "$rc" -eq 0 ] && jq -e '.cases[0].status == "skipped" and
	(.cases[0].reason | test("at least 3 pages"))' "$res" >/dev/null
ok $? "merge-split with 2-page chunks: skipped, says why"

run "$MB" run -b merge -t memfd --count 1
[ "$rc" -eq 2 ] && head -n 1 "$tmp/err" | grep -q '^mmapbench: --count: merge needs at least 2' &&
	[ "$(wc -l <"$tmp/err")" -eq 2 ]
ok $? "merge --count 1 -> exit 2 with a one-line message and a hint"
run "$MB" run -b merge-fill -t memfd --count 16,0
[ "$rc" -eq 2 ] && grep -q 'merge-fill needs at least 2' "$tmp/err"
ok $? "merge-fill --count 16,0 -> exit 2"

# ---- faults ----
# shellcheck disable=SC2086
run "$MB" run -b fault-write-seq,fault-write-rand,fault-read-seq -t memfd,anon \
	--map shared --count 64 $q
ok "$rc" "fault benchmarks run on memfd and anon"
jq -e '[.cases[] | select(.status == "ok")] | length == 6 and all(.family == "fault" and
	.params.count == 64 and .params.span == 262144 and .batch == 64 and
	[.metrics[].name] == ["touch", "minflt"])' "$res" >/dev/null
ok $? "every case ok; count = pages per sample; metrics touch and minflt"
jq -e 'all(.cases[].metrics[] | select(.name == "touch"); .timing == "each" and
	.batch == 1 and .stats.n == 192 and (.samples | length) == 192 and
	([.hist[][1]] | add) == 192 and all(.hist[]; .[0] == 0 or
	(.[0] | log2 | . == floor))) and
	all(.cases[]; .metrics[0].stats | .median <= .p90 and .p90 <= .p99 and
	.p99 <= .max)' "$res" >/dev/null
ok $? "touch: one sample per page (3 x 64), log2 histogram adds up, p50<=p90<=p99<=max"
jq -e '[.cases[] | select(.target == "memfd" and (.bench | test("write")))] |
	length == 2 and all((.metrics[] | select(.name == "minflt") | .samples == [64, 64, 64]) and
	.counts["fault.minflt"] == .counts["fault.pages"] and .counts["fault.pages"] == 5 * 64 and
	.counts["hygiene.nohugepage"] == 5)' "$res" >/dev/null
ok $? "memfd writes with NOHUGEPAGE: one fault per page touched (minflt == pages)"
jq -e '[.cases[] | select(.target == "anon")] | length == 3 and
	all(.metrics[] | select(.name == "minflt") | .samples == [64, 64, 64])' "$res" >/dev/null
ok $? "anon (shared: shmem): one fault per page touched"
jq -e '[.cases[] | select(.target == "memfd" and .bench == "fault-read-seq")][0] |
	.metrics[] | select(.name == "minflt") | all(.samples[]; . >= 1 and . < 64)' \
	"$res" >/dev/null
ok $? "memfd reads of cached pages: fault-around, fewer faults than pages"
run "$MB" run -b fault-read-seq -t memfd --count 0
[ "$rc" -eq 2 ] && grep -q 'fault-read-seq needs at least 1' "$tmp/err"
ok $? "fault --count 0 -> exit 2"

[ "$failed" -eq 0 ]
