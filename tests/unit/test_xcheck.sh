#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_xcheck.sh - mmapbench-xcheck: the harness against bare loops of will-it-scale's
# mmap1 and page_fault1.  Its arithmetic as written (ratio = harness / mean of the bare
# processes, spread, within) with a stand-in harness whose figure is known, a real
# run's files, and its errors.  TAP.  Never asserts a measured ratio.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_xcheck.sh
set -u
MB=${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}
XC=$(dirname "$MB")/mmapbench-xcheck
. "$(dirname "$0")/lib.sh"

need jq
plan 24

# fake PER_OP [SHIFT]: a stand-in harness writing one case with stats.per_op = PER_OP
fake() {
	cat >"$tmp/fake" <<FAKE
#!/bin/sh
echo "\$*" >>"$tmp/fake.calls"
while [ \$# -gt 0 ]; do [ "\$1" = -o ] && out=\$2; shift; done
printf '{"env": {"icount_shift": %s}, "cases": [{"metrics": [{"stats": {"per_op": %s}}]}]}\n' \
	"${2:-null}" "$1" >"\$out"
FAKE
	chmod +x "$tmp/fake"
}

fake 1000
run "$XC" --procs 3 --ms 2 --harness "$tmp/fake" -o "$tmp/x.json"
ok "$rc" "a run with a stand-in harness"
jq -e '.schema == "mmapbench-xcheck/1" and .procs == 3 and
	[.workloads[].name] == ["mmap1", "page_fault1"] and
	all(.workloads[]; (.harness_per_op | length) == 3 and (.bare_per_op | length) == 3 and
	(.bare_cpu_per_op | length) == 3 and (.bare_whole_iteration_per_op | length) == 3)' \
	"$tmp/x.json" >/dev/null
ok $? "schema, both workloads, a figure per process and side"
jq -e 'all(.workloads[]; .harness == 1000 and .harness_per_op == [1000, 1000, 1000])' \
	"$tmp/x.json" >/dev/null
ok $? "harness: the mean of the processes' stats.per_op"
jq -e 'all(.workloads[]; (.bare_per_op | add / length) as $b |
	((.bare - $b) | fabs) <= 1e-9 * $b and ((.ratio - .harness / .bare) | fabs) <= 1e-9 * .ratio and
	((.spread - ((.bare_per_op | max) - (.bare_per_op | min)) / .bare) | fabs) <= 1e-9 and
	.within == ((.ratio - 1 | fabs) <= ([.spread, 0.01] | max)))' "$tmp/x.json" >/dev/null
ok $? "ratio = harness / mean bare, spread = (max - min) / mean, within = off by <= max(spread, 1 %)"
jq -e 'all(.workloads[]; all(.bare_per_op[], .bare_cpu_per_op[], .bare_whole_iteration_per_op[];
	. > 0)) and (.workloads[1] | all(range(3) as $i |
	.bare_whole_iteration_per_op[$i] >= .bare_mean_per_op[$i]; .))' "$tmp/x.json" >/dev/null
ok $? "bare figures positive; page_fault1's whole iteration (mmap, munmap) >= its touches"
printf '%s\n' "$out" | grep -q '^WORKLOAD .*HARNESS .*BARE .*RATIO' &&
	printf '%s\n' "$out" | grep -Eq '^mmap1 +1000\.0 ' && printf '%s\n' "$out" | grep -Eq '^page_fault1 +1000\.0 '
ok $? "the table: a line per workload, the harness's figure"
[ "$(grep -c -- '-b storm -t anon -s 128m --map private --populate no --threads 1 --samples 10 --no-floor' "$tmp/fake.calls")" = 3 ] &&
	[ "$(grep -c -- '-b fault-write-seq -t anon -s 4k --map private --count 32768 --samples 10 --no-floor' "$tmp/fake.calls")" = 3 ]
ok $? "the harness runs storm anon 128m and fault-write-seq anon x 32768, once per process"

# under icount the harness's unit is ns / 2^shift: the bare figures are scaled alike
rm -f "$tmp/fake.calls"
fake 1000 3
run "$XC" --procs 2 --ms 2 --harness "$tmp/fake" -o "$tmp/x3.json"
ok "$rc" "a stand-in harness under icount (icount_shift 3)"
fake 1000
run "$XC" --procs 2 --ms 2 --harness "$tmp/fake" -o "$tmp/x0.json"
# a bare loop's figures do not shrink 8-fold between two runs by chance
jq -n -e --slurpfile a "$tmp/x3.json" --slurpfile b "$tmp/x0.json" \
	'($a[0].workloads[1].bare_cpu / $b[0].workloads[1].bare_cpu) < 0.5' >/dev/null
ok $? "icount_shift 3: bare figures divided by 2^3"

# ---- --wis: will-it-scale itself (a stand-in printing a known average) ----
mkdir -p "$tmp/wis" "$tmp/wis-noavg" "$tmp/wis-empty"
for w in mmap1 page_fault1; do
	cat >"$tmp/wis/${w}_processes" <<FAKE
#!/bin/sh
echo "wis $w \$*" >>"$tmp/fake.calls"
grep -E '^(THP_enabled|Cpus_allowed_list):' /proc/\$\$/status | tr -d ' \t' >>"$tmp/wis.env"
printf 'testcase:stand-in\nwarmup\nmin:1 max:1 total:1\nmeasurement\naverage:250000\n'
FAKE
	printf '#!/bin/sh\necho warmup\n' >"$tmp/wis-noavg/${w}_processes"
	chmod +x "$tmp/wis/${w}_processes" "$tmp/wis-noavg/${w}_processes"
done
rm -f "$tmp/fake.calls"
fake 1000
run "$XC" --procs 3 --ms 2 --harness "$tmp/fake" --wis "$tmp/wis" --wis-seconds 1 -o "$tmp/w.json"
ok "$rc" "--wis: a run with stand-ins for the harness and will-it-scale"
jq -e '.wis.seconds == "1" and all(.workloads[]; .wis_per_op == [4000, 4000, 4000] and
	.wis == 4000 and .wis_spread == 0 and .ratio_wis == 0.25 and .within_wis == false and
	((.bare_whole_ratio_wis - .whole_iteration / 4000) | fabs) <= 1e-12 and
	(.loadavg_before | length) == 3 and (.loadavg_after | length) == 3)' "$tmp/w.json" >/dev/null
ok $? "--wis: 1e9 / average ns per op, ratio harness / will-it-scale, its spread, loadavg"
[ "$(grep -c '^wis mmap1 -t 1 -s 1 -n$' "$tmp/fake.calls")" = 3 ] &&
	[ "$(grep -c '^wis page_fault1 -t 1 -s 1 -n$' "$tmp/fake.calls")" = 3 ] &&
	[ "$(sed 's/^wis.*/W/; s/^run .*/H/' "$tmp/fake.calls" | tr -d '\n')" = HWHWHWHWHWHW ]
ok $? "--wis: -t 1 -s S -n, one will-it-scale process after each harness one"
cpu=$(jq -r .cpu "$tmp/w.json")
[ "$(grep -c '^THP_enabled:0$' "$tmp/wis.env")" = 6 ] &&
	[ "$(grep -c "^Cpus_allowed_list:$cpu\$" "$tmp/wis.env")" = 6 ]
ok $? "--wis: will-it-scale runs with THP disabled, pinned to the harness's CPU ($cpu)"
printf '%s\n' "$out" | grep -q '^WORKLOAD .*HARNESS .*WIS .*RATIO' &&
	printf '%s\n' "$out" | grep -Eq '^mmap1 +1000\.0 +4000\.0 +0\.0% +0\.250 OUTSIDE'
ok $? "--wis: its table, harness against will-it-scale"
jq -e '(.workloads[0] | has("harness_whole") | not) and (.workloads[1] |
	((.harness_whole - (.harness + .whole_iteration - .bare)) | fabs) <= 1e-9 * .harness_whole and
	((.harness_whole_ratio_wis - .harness_whole / .wis) | fabs) <= 1e-12)' "$tmp/w.json" >/dev/null
ok $? "--wis: page_fault1 like with like: harness + (whole iteration - bare), over will-it-scale"
printf '%s\n' "$out" | grep -q "^page_fault1 like with like: will-it-scale's iteration maps" &&
	printf '%s\n' "$out" | grep -q '(harness touches alone: 0.250)'
ok $? "--wis: the table names both page_fault1 ratios"
run "$XC" --procs 1 --ms 1 --harness "$tmp/fake" --wis "$tmp/wis-empty"
[ "$rc" -eq 2 ] && grep -q "no will-it-scale mmap1 in" "$tmp/err"
ok $? "--wis DIR without its binaries: usage error, exit 2"
run "$XC" --procs 1 --ms 1 --harness "$tmp/fake" --wis "$tmp/wis-noavg" -o "$tmp/none.json"
[ "$rc" -eq 1 ] && grep -q 'mmap1: no "average:" line' "$tmp/err" && [ ! -e "$tmp/none.json" ]
ok $? "--wis: a will-it-scale without its average: exit 1, named, no output file"
run "$XC" --wis "$tmp/wis" --wis-seconds 0
[ "$rc" -eq 2 ] && grep -q -- '--wis-seconds' "$tmp/err"
ok $? "--wis-seconds 0: usage error, exit 2"

# ---- with the real harness ----
run "$XC" --procs 2 --ms 5 --samples 2 --harness "$MB" -o "$tmp/real.json"
ok "$rc" "with the real harness (2 processes a side)"
jq -e 'all(.workloads[]; all(.harness_per_op[]; . > 0)) and .env.counter != null' \
	"$tmp/real.json" >/dev/null
ok $? "its stats.per_op read, its env kept"

# ---- errors ----
run "$XC" --procs 0
[ "$rc" -eq 2 ] && grep -q -- '--procs' "$tmp/err"
ok $? "--procs 0: usage error, exit 2"
printf '#!/bin/sh\nexit 1\n' >"$tmp/failing" && chmod +x "$tmp/failing"
run "$XC" --procs 1 --ms 1 --harness "$tmp/failing" -o "$tmp/none.json"
[ "$rc" -eq 1 ] && grep -q "mmap1: .*run' failed" "$tmp/err" && [ ! -e "$tmp/none.json" ]
ok $? "a failing harness: exit 1, named, no output file"
fake null
run "$XC" --procs 1 --ms 1 --harness "$tmp/fake" -o "$tmp/none.json"
[ "$rc" -eq 1 ] && grep -q 'no stats.per_op' "$tmp/err" && [ ! -e "$tmp/none.json" ]
ok $? "a harness file without stats.per_op: exit 1, named"
