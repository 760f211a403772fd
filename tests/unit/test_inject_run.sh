#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_inject_run.sh - `mmapbench run --inject-ns N`: the option's bounds, what the
# results record, and that the wait is inside every timed op: a spin until the counter
# has advanced target_ticks, so no op's sample can be shorter than target_ticks at
# counter_hz, on any machine however slow or busy.  That bound catches a wait that is
# missing or in the wrong unit (ticks for ns: 2.4x short); it asserts no timing.  How
# close the medians come to N (a doubled wait, the calibration) is measured, not
# tested: `make sensitivity` reports it.
# TAP.  Needs jq.
set -u
dir=$(dirname "$0")/../../build/bench
MB=${MMAPBENCH:-$dir/mmapbench}
SELF=${MMAPBENCH_SELFTEST:-$dir/mmapbench-selftest}
. "$(dirname "$0")/lib.sh"

need jq
plan 27

for bad in -1 abc 10000001 "" storm=x bogus=5 storm=1,storm=2 5,storm=1 storm=10000001; do
	run "$MB" run -q -b storm -s 4k --inject-ns "$bad"
	[ "$rc" -eq 2 ] && grep -q -- '--inject-ns' "$tmp/err" && grep -q "Try 'mmapbench --help'" "$tmp/err"
	ok $? "--inject-ns '$bad': exit 2 with a usage message"
done
run "$MB" --help
printf '%s\n' "$out" | grep -q -- '--inject-ns N'
ok $? "--help documents --inject-ns"

# three processes: 0, 2000, 20000 ns
for ns in 0 2000 20000; do
	run "$SELF" run -b selftest-nop,selftest-nop-each --samples 15 --warmup 2 \
		--inject-ns "$ns" -o "$tmp/i$ns.json"
	ok "$rc" "selftest-nop with --inject-ns $ns runs"
	printf '%s\n' "$out" >"$tmp/sum$ns"
done

jq -e '.env.inject_ns == 0 and .env.inject == null' "$tmp/i0.json" >/dev/null
ok $? "--inject-ns 0: env.inject_ns 0, env.inject null"
for ns in 2000 20000; do
	jq -e --argjson n "$ns" '.env as $e | $e.inject_ns == $n and
		($e.inject.what | test("busy-wait")) and ($e.inject.waits | length) == 1 and
		($e.inject.waits[0] | .bench == null and .ns == $n and .target_ticks >= 0 and
		 .rounds == 3 and .achieved_ns > 0 and
		 ((.want_ticks - $n * $e.counter_hz / 1e9) | fabs) <= 1e-9 * .want_ticks) and
		all(.cases[]; .inject_ns == $n)' \
		"$tmp/i$ns.json" >/dev/null
	ok $? "--inject-ns $ns: env records it, its calibration, want_ticks = N ns at counter_hz"
	grep -q "^INJECTED: a $ns ns busy-wait in every op" "$tmp/sum$ns"
	ok $? "--inject-ns $ns: the summary says so"
done

# floor FILE BENCH: the shortest sample of BENCH minus the shortest op its wait allows
# (target_ticks at counter_hz; 1 ppm for the conversion's rounding); >= 0 if it waited
floor() {
	jq --arg b "$2" '.env as $e | ($e.inject.waits[] | select(.bench == null or .bench == $b) |
		.target_ticks * 1e9 / $e.counter_hz) as $w |
		.cases[] | select(.bench == $b) | .metrics[] | select(.name == "nop") |
		(.samples | min) - $w * (1 - 1e-6)' "$1"
}
for b in selftest-nop selftest-nop-each; do
	for ns in 2000 20000; do
		d=$(floor "$tmp/i$ns.json" $b)
		[ "$(jq -n --argjson d "${d:-null}" '$d != null and $d >= 0')" = true ]
		ok $? "$b, $ns ns injected: every sample holds a whole wait (shortest - wait = ${d:-none} ns)"
	done
done
# BENCH=N: only the named benchmark waits
run "$SELF" run -b selftest-nop,selftest-nop-each --samples 15 --warmup 2 \
	--inject-ns selftest-nop=20000,selftest-merge=0 -o "$tmp/b.json"
ok "$rc" "--inject-ns selftest-nop=20000,selftest-merge=0 runs"
jq -e '.env.inject_ns == {"selftest-nop": 20000} and
	(.env.inject.waits | length == 1 and .[0].bench == "selftest-nop") and
	(.cases[] | select(.bench == "selftest-nop") | .inject_ns == 20000) and
	(.cases[] | select(.bench == "selftest-nop-each") | has("inject_ns") | not)' \
	"$tmp/b.json" >/dev/null
ok $? "BENCH=N: env.inject_ns {bench: ns}, the case records it, the other case does not"
d=$(floor "$tmp/b.json" selftest-nop)
[ "$(jq -n --argjson d "${d:-null}" '$d != null and $d >= 0')" = true ]
ok $? "BENCH=N: every sample of the named benchmark holds a whole wait (shortest - wait = ${d:-none} ns)"
# A metric the benchmark times itself (merge's whole-range munmap, mb_report) has the
# wait too: one per op, inside its region (mb_inject_wait).  Its samples are CLOCK_MONOTONIC
# ns, the wait counter ticks: 0.1 % for the counter's rate against that clock.
run "$MB" run -q -b merge -t anon -s 4k --map private --count 16 --samples 5 --warmup 1 \
	--inject-ns merge=200000 -o "$tmp/m.json"
ok "$rc" "merge with --inject-ns merge=200000 runs"
d=$(jq '.env as $e | ($e.inject.waits[0].target_ticks * 1e9 / $e.counter_hz) as $w |
	.cases[] | select(.bench == "merge") | .metrics[] | select(.name == "munmap-range") |
	(.samples | min) - $w * (1 - 1e-3)' "$tmp/m.json")
[ "$(jq -n --argjson d "${d:-null}" '$d != null and $d >= 0')" = true ]
ok $? "merge's munmap-range: every sample holds a whole wait (shortest - wait = ${d:-none} ns)"
