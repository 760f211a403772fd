#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_hfcheck.sh - the hyperfine cross-check: mmapbench-hfcheck's arithmetic and
# files (hyperfine's JSON built here around a real harness run, so every number is
# known; jq 1.7 compares number literals digit by digit, hence the tolerances), its
# errors, and scripts/guest/hyperfine-check end to end with the real hyperfine.
# TAP.  Never asserts a measured ratio.  Needs jq; the end-to-end part needs hyperfine.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_hfcheck.sh
set -u
MB=${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}
HFC=$(dirname "$MB")/mmapbench-hfcheck
CHECK=$(cd "$(dirname "$0")/../../scripts/guest" && pwd)/hyperfine-check
. "$(dirname "$0")/lib.sh"
# the module's device, where mmapbench_abi.h puts it (a host may have the module loaded)
dev_legacy=$("$MB" list --abi | sed -n "s/^MMAPBENCH_DEV_LEGACY_PATH='\(.*\)'\$/\1/p")

need jq hyperfine
plan 35

# hfjson FILE T0 [TK K]: a hyperfine --export-json with the -L ops results given
hfjson() {
	jq -n --argjson t0 "$2" --argjson tk "${3:-null}" --arg k "${4:-}" '
	def res($t; $ops): {command: ("mmapbench run --ops " + $ops), mean: $t,
		stddev: ($t / 100), median: $t, user: ($t / 4), system: ($t / 4), min: ($t * 0.9),
		max: ($t * 1.1), times: [$t, $t, $t], exit_codes: [0, 0, 0],
		parameters: {ops: $ops}};
	{results: ([res($t0; "0")] + (if $tk == null then [] else [res($tk; $k)] end))}' >"$1"
}

# ---- a configuration with known numbers ----
d=$tmp/set/hyperfine/anon-4k
mkdir -p "$d"
run "$MB" run -b storm -t anon -s 4k --map private --populate no --threads 1 \
	--samples 3 --warmup 0 -q -o "$d/harness.json"
ok "$rc" "a one-case harness run for the fixture"
m=$(jq '.cases[0].metrics[0].stats.median' "$d/harness.json")
# t(0) = 2 ms; K = 20000; t(K) - t(0) = 1.1 x K m: ratio 1.1, band 1 -+ 0.002 / (K m)
tk=$(jq -n --argjson m "$m" '0.002 + 1.1 * 20000 * $m / 1e9')
hfjson "$d/hyperfine.json" 0.002 "$tk" 20000
mkdir -p "$tmp/set/hyperfine/legacy-4k"
echo "legacy: no $dev_legacy (mmapbench module not loaded)" \
	>"$tmp/set/hyperfine/legacy-4k/skipped"

(cd "$tmp/set" && "$HFC" report -o hf.json --hyperfine-version "hyperfine 9.9" \
	hyperfine/anon-4k hyperfine/legacy-4k >table.txt 2>"$tmp/err")
ok $? "report: exit 0"
r=$tmp/set/hf.json
jq -e '.schema == "mmapbench-hyperfine/1" and .hyperfine.version == "hyperfine 9.9" and
	.tool.name == "mmapbench-hfcheck" and (.env.kernel_release | type) == "string" and
	(.env.accel | type) == "string" and (.definition | test("t\\(0\\)"))' "$r" >/dev/null
ok $? "report: schema, hyperfine's version, env from the harness, the definition"
jq -e --argjson m "$m" '.configs[0] | .name == "anon-4k" and .status == "ok" and
	.k == 20000 and (.harness.median_ns - $m | fabs) < 1e-12 * $m and .metric == "mmap+munmap" and
	.target == "anon" and .params.size == 4096 and
	(.ratio - 1.1 | fabs) < 1e-9 and
	(.band[0] - (1 - 0.002 / (20000 * $m / 1e9)) | fabs) < 1e-9 and
	(.band[1] - (1 + 0.002 / (20000 * $m / 1e9)) | fabs) < 1e-9 and
	(.process_per_op_ns - 1.1 * $m | fabs) < 1e-6 * $m and
	.process.startup.median_s == 0.002 and .process.startup.runs == 3 and
	.harness.file == "harness.json" and .process.file == "hyperfine.json" and
	.dir == "hyperfine/anon-4k"' "$r" >/dev/null
ok $? "report: ratio = (t(K) - t(0)) / (K m), band 1 -+ t(0)/(K m), inputs recorded"
inside=$(jq -n --argjson m "$m" '(1.1 < 1 + 0.002 / (20000 * $m / 1e9))')
jq -e --argjson in "$inside" '.configs[0].within_band == $in and
	.outside_band == (if $in then 0 else 1 end)' "$r" >/dev/null
ok $? "report: within_band and outside_band follow the band"
# user + system = t / 2 in the fixture: CPU-time ratio 1.1 / 2, band 1 -+ (t(0) / 2) / (K m)
jq -e --argjson m "$m" '.configs[0] | (.cpu.ratio - 0.55 | fabs) < 1e-9 and
	(.cpu.band[1] - (1 + 0.001 / (20000 * $m / 1e9)) | fabs) < 1e-9 and
	(.cpu.within_band | type) == "boolean" and
	(.process.ops.cpu_mean_s - .process.ops.median_s / 2 | fabs) < 1e-12' "$r" >/dev/null
ok $? "report: the same ratio and band from user + system time (cpu)"
jq -e '.configs[1] | .name == "legacy-4k" and .status == "skipped" and
	(.reason | test("not loaded")) and (has("ratio") | not)' "$r" >/dev/null
ok $? "report: a skipped configuration keeps its reason and has no ratio"
grep -q '^anon-4k .* 1\.100 ' "$tmp/set/table.txt" &&
	grep -q '^legacy-4k .*skipped: legacy' "$tmp/set/table.txt"
ok $? "report: the table shows the ratio and the skip"

# a ratio far outside: flagged on stderr and in the JSON, exit 0 all the same
tk=$(jq -n --argjson m "$m" '0.002 + 3 * 20000 * $m / 1e9')
hfjson "$d/hyperfine.json" 0.002 "$tk" 20000
run "$HFC" report "$d"
[ "$rc" -eq 0 ] && printf '%s' "$out" | jq -e '.configs[0].within_band == false and
	.outside_band == 1' >/dev/null && grep -q 'outside the band' "$tmp/err"
ok $? "report: ratio 3 is outside, flagged, exit 0; JSON on stdout without -o"

# ---- k ----
hfjson "$tmp/pilot.json" 0.002
run "$HFC" k "$d/harness.json" "$tmp/pilot.json"
want=$(jq -n --argjson m "$m" '10 * 0.002 * 1e9 / $m')
[ "$rc" -eq 0 ] && jq -n -e --argjson k "$out" --argjson w "$want" \
	'$k >= $w and $k < 2.5 * $w + 100 and $k >= 100' >/dev/null
ok $? "k: K >= 10 x t(0) / m, rounded up by less than 2.5x"
run "$HFC" k --factor 100 "$d/harness.json" "$tmp/pilot.json"
k100=$out
run "$HFC" k --factor 1 "$d/harness.json" "$tmp/pilot.json"
[ "$rc" -eq 0 ] && [ "$k100" -gt "$out" ]
ok $? "k: a larger --factor gives a larger K"

# ---- errors ----
run "$HFC"
[ "$rc" -eq 2 ] && grep -q "missing command" "$tmp/err"
ok $? "no command: exit 2"
run "$HFC" frob
[ "$rc" -eq 2 ]
ok $? "unknown command: exit 2"
run "$HFC" k --factor 0.5 "$d/harness.json" "$tmp/pilot.json"
[ "$rc" -eq 2 ] && grep -q "factor" "$tmp/err"
ok $? "k --factor 0.5: exit 2"
run "$HFC" k "$d/harness.json"
[ "$rc" -eq 2 ]
ok $? "k with one file: exit 2"
run "$HFC" report
[ "$rc" -eq 2 ]
ok $? "report without DIR: exit 2"
run "$HFC" report "$tmp/nonexistent"
[ "$rc" -eq 1 ] && grep -q "nonexistent/harness.json: cannot read" "$tmp/err"
ok $? "report on a missing DIR: exit 1, names the file"
mkdir -p "$tmp/bad1" && cp "$d/harness.json" "$tmp/bad1/" && echo '{' >"$tmp/bad1/hyperfine.json"
run "$HFC" report "$tmp/bad1"
[ "$rc" -eq 1 ] && grep -q "bad1/hyperfine.json: not JSON" "$tmp/err"
ok $? "report on broken hyperfine JSON: exit 1"
mkdir -p "$tmp/bad2" && cp "$d/harness.json" "$tmp/bad2/" && hfjson "$tmp/bad2/hyperfine.json" 0.002
run "$HFC" report "$tmp/bad2"
[ "$rc" -eq 1 ] && grep -q "wants 2 hyperfine results, has 1" "$tmp/err"
ok $? "report without the K result: exit 1"
mkdir -p "$tmp/bad3" && cp "$d/harness.json" "$tmp/bad3/"
hfjson "$tmp/bad3/hyperfine.json" 0.002 0.1 20000
jq '.results[1].exit_codes[1] = 1' "$tmp/bad3/hyperfine.json" >"$tmp/x" && mv "$tmp/x" "$tmp/bad3/hyperfine.json"
run "$HFC" report "$tmp/bad3"
[ "$rc" -eq 1 ] && grep -q "exited with status non-zero in run 2" "$tmp/err"
ok $? "report when a timed process failed: exit 1"
mkdir -p "$tmp/bad4" && hfjson "$tmp/bad4/hyperfine.json" 0.002 0.1 20000
jq '.cases += .cases' "$d/harness.json" >"$tmp/bad4/harness.json"
run "$HFC" report "$tmp/bad4"
[ "$rc" -eq 1 ] && grep -q "wants exactly one case, has 2" "$tmp/err"
ok $? "report on a harness file of two cases: exit 1"
run "$HFC" report -o "$tmp/no/such/dir/x.json" "$d"
[ "$rc" -eq 1 ] && grep -q "cannot write" "$tmp/err" && [ ! -e "$tmp/no" ]
ok $? "report -o into a missing directory: exit 1"

# ---- scripts/guest/hyperfine-check ----
for a in "--bogus" "--runs 1" "--runs x" "--factor abc" "--configs nosuch" "--samples 0" "--out"; do
	# shellcheck disable=SC2086
	run "$CHECK" $a
	[ "$rc" -eq 2 ] && grep -q "usage: hyperfine-check" "$tmp/err"
	ok $? "hyperfine-check $a: exit 2 with a usage line"
done
o=$tmp/hfc
run "$CHECK" --out "$o" --configs anon-4k,legacy-4k-dontdump --runs 2 --factor 2 --samples 2
ok "$rc" "hyperfine-check (real hyperfine, anon + legacy): exit 0"
jq -e '.configs[0] | .name == "anon-4k" and .status == "ok" and .k >= 100 and
	(.ratio | type) == "number" and (.within_band | type) == "boolean" and
	.process.ops.runs == 2 and .process.startup.runs == 2 and
	(.process.command | test("--ops [0-9]+$"))' "$o/hyperfine.json" >/dev/null
ok $? "hyperfine-check: anon-4k has K, a ratio, a band verdict, the runs asked for"
if [ ! -e "${dev_legacy:?}" ]; then
	jq -e '.configs[1] | .status == "skipped" and (.reason | test("not loaded"))' \
		"$o/hyperfine.json" >/dev/null
	ok $? "hyperfine-check: legacy without the module is skipped with the reason"
else
	skip "hyperfine-check: legacy skipped" "module loaded"
fi
[ -s "$o/hyperfine/anon-4k/hyperfine.json" ] && [ -s "$o/hyperfine/anon-4k/pilot.json" ] &&
	[ -s "$o/hyperfine/anon-4k/harness.json" ] && [ -s "$o/hyperfine.txt" ] &&
	[ -z "$(find "$o" -name '*.tmp*')" ] &&
	jq -e '.results | map(.parameters.ops) | .[0] == "0"' \
		"$o/hyperfine/anon-4k/hyperfine.json" >/dev/null &&
	[ "$(jq -r '.configs[0].k | tostring' "$o/hyperfine.json")" = \
	  "$(jq -r '.results[1].parameters.ops' "$o/hyperfine/anon-4k/hyperfine.json")" ]
ok $? "hyperfine-check: hyperfine's raw JSON kept beside, K as hyperfine ran it, no temporaries"
run "$CHECK" --out "$o" --configs anon-4k
[ "$rc" -eq 2 ] && grep -q "already has a hyperfine check" "$tmp/err"
ok $? "hyperfine-check into a directory that has one: exit 2"
run env HYPERFINE=/nonexistent/hyperfine "$CHECK" --out "$tmp/hfc2" --configs anon-4k
[ "$rc" -eq 1 ] && grep -q "cannot run hyperfine" "$tmp/err" && [ ! -e "$tmp/hfc2/hyperfine.json" ]
ok $? "hyperfine-check without a working hyperfine: exit 1, nothing written"

[ "$failed" -eq 0 ]
