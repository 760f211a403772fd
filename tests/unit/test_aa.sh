#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_aa.sh - scripts/guest/aa and mmapbench-trust: bad arguments (exit 2 and a usage
# line), and tiny real runs (2 pairs, 2 processes a side, a very short
# configuration) in A/A and sensitivity mode: the outputs' files, format and counts,
# never their rates.  TAP.  Needs jq.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(dirname "${MMAPBENCH:-$top/build/bench/mmapbench}")
AA=$top/scripts/guest/aa
TRUST=$bin/mmapbench-trust
. "$(dirname "$0")/lib.sh"

need jq
plan 40
PATH=$bin:$PATH
export PATH
cfg="-b storm,merge -t anon -s 4k --map private --populate no --count 4 --samples 3 --warmup 0"

# ---- usage ----
for args in "-P 0" "-P x" "-R 0" "-R 100" "-s 1,,2" "-s x" "-s 1." "-a ''" "stray" "-q" \
	"-a '-b storm -o f'" "-a '-b storm --inject-ns 5'"; do
	eval "run \"\$AA\" $args -o \"\$tmp/never\""
	[ "$rc" -eq 2 ] && grep -q '^usage: scripts/guest/aa' "$tmp/err" && [ ! -e "$tmp/never" ]
	ok $? "aa $args: exit 2 with a usage line, no output"
done
mkdir "$tmp/exists"
run "$AA" -P 1 -R 1 -o "$tmp/exists"
[ "$rc" -eq 2 ] && grep -q 'already exists' "$tmp/err"
ok $? "aa refuses an existing output directory (exit 2)"
for args in "" "bogus" "cv" "cv --bogus x" "cost" "tally" "tally x.json" "tally -l aa" \
	"tally -l aa -n storm= x" "tally --threshold 2 -l aa x"; do
	# shellcheck disable=SC2086
	run "$TRUST" $args
	[ "$rc" -eq 2 ] && grep -q "^Try 'mmapbench-trust --help'" "$tmp/err"
	ok $? "mmapbench-trust ${args:-(no arguments)}: exit 2 and a hint"
done
echo '{"schema": "other"}' >"$tmp/other.json"
run "$TRUST" tally -l aa "$tmp/other.json"
[ "$rc" -eq 2 ] && grep -q "other.json: not a mmapbench-compare --json output" "$tmp/err"
ok $? "tally of a file that is not compare's JSON: exit 2 naming it"

# ---- a tiny A/A run ----
run "$AA" -P 2 -R 2 -o "$tmp/aa" -a "$cfg"
ok "$rc" "aa -P 2 -R 2 runs"
[ -s "$tmp/aa/aa.json" ] && [ -s "$tmp/aa/aa.txt" ] && ! ls -d "$tmp"/aa.tmp.* >/dev/null 2>&1
ok $? "aa: aa.json and aa.txt, no temporary directory left"
[ "$(find "$tmp/aa/runs" -name results.json | wc -l)" -eq 8 ] &&
	[ "$(ls "$tmp/aa/cmp" | wc -l)" -eq 2 ]
ok $? "aa: 2 pairs x 2 sides x 2 processes = 8 runs, 2 comparisons"
jq -e 'all(.; .schema == "mmapbench-compare/1" and .base.runs == 2 and .patched.runs == 2)' \
	"$tmp"/aa/cmp/p001.json "$tmp"/aa/cmp/p002.json >/dev/null
ok $? "aa: each comparison is compare's JSON, 2 runs a side"
jq -e --slurpfile c "$tmp/aa/cmp/p001.json" '.env.kernel_release == $c[0].base.kernel_release and
	.env.accel == $c[0].base.accel and .env.counter == $c[0].base.counter and
	(.env.tool_version | length == 1)' "$tmp/aa/aa.json" >/dev/null
ok $? "aa: aa.json says where the runs came from (env, as the comparisons' base side)"
jq -e '. as $d | .schema == "mmapbench-trust/1" and .meta.mode == "aa" and
	.meta.pairs == "2" and .meta.runs == "2" and (.groups | length == 1 and
	.[0].label == "aa" and .[0].pairs == 2 and .[0].pairs_flagged <= 2 and
	.[0].rows == ([$d.rows[] | .pairs] | add) and
	.[0].rows_flagged == ([$d.rows[] | .flagged] | add) and
	.[0].timed_rows == ([$d.rows[] | select(.unit == "ns" or .unit == "ops/s") | .pairs] | add) and
	.[0].timed_rows < .[0].rows and
	.[0].timed_rows_flagged == ([$d.rows[] | select(.unit == "ns" or .unit == "ops/s") |
		.flagged] | add)) and
	(.rows | length > 0 and all(.[]; .pairs == 2 and .flagged <= 2 and
	 .worse + .better_flagged == .flagged and
	 (.flag_rate == .flagged / 2))) and .mde == []' "$tmp/aa/aa.json" >/dev/null
ok $? "aa.json: one group of 2 pairs, per-row and timed-row counts add up, rates = counts / pairs"
jq -e '.cv.runs == 8 and (.cv.rows | length > 0 and all(.[]; .runs == 8 and
	(.cv_pct == null or .cv_pct >= 0)))' "$tmp/aa/aa.json" >/dev/null
ok $? "aa.json: CV of the medians over all 8 processes"
head -n 1 "$tmp/aa/aa.txt" | grep -q '^scripts/guest/aa: aa, 2 pairs x 2 processes a side' &&
	grep -q '^aa  *2 ' "$tmp/aa/aa.txt" && grep -q '^median CV of the ' "$tmp/aa/aa.txt"
ok $? "aa.txt: header, the overall line, the CV summary"

# ---- a tiny sensitivity run ----
run "$AA" -P 2 -R 2 -s 5,50 -o "$tmp/s" -a "$cfg"
ok "$rc" "aa -s 5,50 -P 2 -R 2 runs"
[ "$(find "$tmp/s/runs" -name results.json | wc -l)" -eq 14 ] &&
	[ "$(ls "$tmp/s/cmp" | wc -l)" -eq 4 ]
ok $? "sensitivity: 2 calibration + 2 pairs x 3 sides x 2 = 14 runs, 4 comparisons"
grep -Eq '^storm [0-9.]+$' "$tmp/s/cost.txt" && grep -Eq '^merge [0-9.]+$' "$tmp/s/cost.txt"
ok $? "sensitivity: the op cost of each benchmark (mmapbench-trust cost)"
want=$(awk '{ printf "%s%s=%d", (NR > 1 ? "," : ""), $1, $2 * 50 / 100 + 0.5 }' "$tmp/s/cost.txt")
[ "$(cat "$tmp/s/inject-50.txt")" = "$want" ]
ok $? "sensitivity: level 50 injects round(cost x 50 / 100) per benchmark ($want)"
st=$(awk '$1 == "storm" { printf "%d", $2 * 50 / 100 + 0.5 }' "$tmp/s/cost.txt")
jq -e --argjson n "$st" '.env.inject_ns.storm == $n and
	(.cases[] | select(.bench == "storm") | .inject_ns == $n)' \
	"$tmp/s/runs/p001/L50/r1/results.json" >/dev/null &&
	jq -e '.env.inject == null' "$tmp/s/runs/p001/base/r1/results.json" >/dev/null
ok $? "sensitivity: the L50 runs waited that long, the base runs did not"
jq -e '.meta.mode == "sensitivity" and .meta.levels == "5,50" and
	([.groups[] | .label] == ["5", "50"]) and
	all(.groups[]; .pairs == 2 and .level_pct == (.label | tonumber)) and
	(.mde | length > 0 and all(.[]; has("mde_levels_pct") and has("mde_spread_pct"))) and
	all(.rows[]; select(.unit == "ns" and .label == "50") | .inject_pct > 0) and
	.cv.runs == 4' "$tmp/s/sensitivity.json" >/dev/null
ok $? "sensitivity.json: a group per level, injected % per timed row, MDE rows, CV of the base runs"
grep -q '^Minimum detectable effect' "$tmp/s/sensitivity.txt"
ok $? "sensitivity.txt: the MDE table"

# ---- mmapbench-trust cv on the A/A runs ----
run "$TRUST" cv --json "$tmp/aa/runs"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -e '.schema == "mmapbench-cv/1" and .runs == 8' >/dev/null
ok $? "mmapbench-trust cv --json: schema, 8 runs"
