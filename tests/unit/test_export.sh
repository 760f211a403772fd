#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_export.sh - mmapbench-export on committed real result sets: the format rules
# of each fleet (fleets/): LKP's `name: value`, mmtests' five tab-separated fields,
# LAVA's `name pass value unit`; every value numeric, names unique, of five parts and
# stable across two runs of the default suite; every metric's direction in the
# generated fleets/lkp/etc/index-perf-mmapbench.yaml; bad input; and the digest.
# Each checker is shown failing on a doctored line.  TAP.  Needs jq.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_export.sh
set -u
export LC_ALL=C
bin=$(dirname "${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}")
EXP=$bin/mmapbench-export
DIG=$bin/mmapbench-digest
top=$(cd "$(dirname "$0")/../.." && pwd)
data=$top/tests/unit/data
# Two runs of the default suite on 7.3 (TCG), a bare run, the unit fixtures.
R1=$top/results/20261124T102607Z-7.3.4+deb13
R2=$top/results/20261124T072904Z-7.3.4+deb13
BARE=$top/results/20261124T103548Z-bare
INDEX=$top/fleets/lkp/etc/index-perf-mmapbench.yaml
. "$(dirname "$0")/lib.sh"

need jq
plan 59

NUM='-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?'
NAME='[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_+-]+'

# The checkers: 0 when FILE follows the format's rules, else 1 with the first
# offending line on stderr.
check_lkp() {
	[ -s "$1" ] || { echo "empty" >&2; return 1; }
	if grep -Evx "$NAME: $NUM" "$1" >"$tmp/bad"; then
		echo "not name: number: $(head -1 "$tmp/bad")" >&2; return 1
	fi
	if cut -d: -f1 "$1" | sort | uniq -d | grep . >"$tmp/bad"; then
		echo "name twice: $(head -1 "$tmp/bad")" >&2; return 1
	fi
	return 0
}
check_mmtests() {
	[ -s "$1" ] || { echo "empty" >&2; return 1; }
	if grep -Evx "[A-Za-z0-9_.+-]+	[A-Za-z0-9_.-]+	[A-Za-z0-9_-]+	[1-9][0-9]*	$NUM" "$1" >"$tmp/bad"; then
		echo "not metric/A/B/interval/value: $(head -1 "$tmp/bad")" >&2; return 1
	fi
	if cut -f1-4 "$1" | sort | uniq -d | grep . >"$tmp/bad"; then
		echo "row twice: $(head -1 "$tmp/bad")" >&2; return 1
	fi
	return 0
}
check_lava() {
	[ -s "$1" ] || { echo "empty" >&2; return 1; }
	if grep -Evx "($NAME pass $NUM [A-Za-z0-9_/%-]+|[A-Za-z0-9_.-]+ (skip|fail))" "$1" >"$tmp/bad"; then
		echo "not a result line: $(head -1 "$tmp/bad")" >&2; return 1
	fi
	if cut -d' ' -f1 "$1" | sort | uniq -d | grep . >"$tmp/bad"; then
		echo "case twice: $(head -1 "$tmp/bad")" >&2; return 1
	fi
	return 0
}

# 1-12: each format on each committed set
for set in "$R1" "$R2" "$BARE" "$data/default-trimmed.json" "$data/matrix-7.3-boot1.json" \
	   "$data/storm-aa-1.json"; do
	f=$set; [ -d "$f" ] && f=$f/results.json
	label=${set#"$top"/}
	for fmt in lkp mmtests lava; do
		"$EXP" --format $fmt "$f" >"$tmp/out.$fmt" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 0 ] && "check_$fmt" "$tmp/out.$fmt" 2>"$tmp/err"
		ok $? "$fmt output of $label follows the format (numeric values, unique names)"
	done 2>/dev/null
	# every directed metric of every completed case, and nothing else; one timed
	# singly twice: its per-op headline and NAME-fast, its fast path (cmp.h)
	want=$(jq '[.cases[] | select(.status == "ok") | .metrics[] |
		select(.better == "lower" or .better == "higher") |
		select(.samples | length > 0) | if .timing == "each" then 2 else 1 end] |
		add // 0' "$f")
	ok "$([ "$(wc -l <"$tmp/out.lkp")" -eq "$want" ]; echo $?)" \
		"$label: one lkp line per directed metric of a completed case ($want)"
	skipped=$(jq '[.cases[] | select(.status != "ok")] | length' "$f")
	ok "$([ "$(grep -Ec ' (skip|fail)$' "$tmp/out.lava")" -eq "$skipped" ]; echo $?)" \
		"$label: one lava skip/fail line per case that did not complete ($skipped)"
done

# The checkers can fail: each doctored output is rejected.
"$EXP" --format lkp "$R1/results.json" >"$tmp/good.lkp"
"$EXP" --format mmtests "$R1/results.json" >"$tmp/good.mmtests"
"$EXP" --format lava "$R1/results.json" >"$tmp/good.lava"
{ cat "$tmp/good.lkp"; echo "storm.anon.none.size-4096.mmap: nan"; } >"$tmp/d1"
check_lkp "$tmp/d1" 2>/dev/null; ok "$([ $? -ne 0 ]; echo $?)" "check_lkp rejects a non-numeric value"
{ cat "$tmp/good.lkp"; head -1 "$tmp/good.lkp"; } >"$tmp/d2"
check_lkp "$tmp/d2" 2>/dev/null; ok "$([ $? -ne 0 ]; echo $?)" "check_lkp rejects a name given twice"
sed '1s/\.[^.:]*:/:/' "$tmp/good.lkp" >"$tmp/d3"
check_lkp "$tmp/d3" 2>/dev/null; ok "$([ $? -ne 0 ]; echo $?)" "check_lkp rejects a name of four parts"
sed '1s/	1	/	0	/' "$tmp/good.mmtests" >"$tmp/d4"
check_mmtests "$tmp/d4" 2>/dev/null; ok "$([ $? -ne 0 ]; echo $?)" "check_mmtests rejects interval 0"
sed '1s/ pass / ok /' "$tmp/good.lava" >"$tmp/d5"
check_lava "$tmp/d5" 2>/dev/null; ok "$([ $? -ne 0 ]; echo $?)" "check_lava rejects a result other than pass/fail/skip"

# Stable: two runs of the default suite give the same names, in every format.
"$EXP" --format lkp "$R2/results.json" >"$tmp/r2.lkp"
cut -d: -f1 "$tmp/good.lkp" >"$tmp/n1"; cut -d: -f1 "$tmp/r2.lkp" >"$tmp/n2"
cmp -s "$tmp/n1" "$tmp/n2"; ok $? "the lkp names of two default-suite runs are the same ($(wc -l <"$tmp/n1"))"
"$EXP" --format lava "$R2/results.json" | cut -d' ' -f1 >"$tmp/n2"
cut -d' ' -f1 "$tmp/good.lava" | cmp -s - "$tmp/n2"; ok $? "so are the lava case names"
"$EXP" --format mmtests "$R2/results.json" | cut -f1-4 >"$tmp/n2"
cut -f1-4 "$tmp/good.mmtests" | cmp -s - "$tmp/n2"; ok $? "and the mmtests metric and factors"

# A name says bench, target, profile, params and metric; its value is the run's median.
name=storm.prepare.dontdump.flags-private_populate-no_size-4096_threads-1.mmap_munmap
got=$(sed -n "s/^$name: //p" "$tmp/good.lkp")
want=$(jq '.cases[] | select(.bench == "storm" and .target == "prepare" and
	.params.size == 4096 and .params.flags == "private" and .params.populate == false and
	.params.threads == 1) | .metrics[] | select(.name == "mmap+munmap") | .stats.median' \
	"$R1/results.json")
ok "$(awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= 1e-6 * b) }'; echo $?)" \
	"$name is the harness's median ($got, results.json says $want)"

# Directions: the index is generated from the committed results, and covers every name.
"$EXP" --format lkp-index "$top/results" >"$tmp/index" 2>"$tmp/err"
cmp -s "$tmp/index" "$INDEX"; ok $? "fleets/lkp/etc/index-perf-mmapbench.yaml is mmapbench-export --format lkp-index results"
ok "$(grep -Evxq '[^ ]+: (1|-1)' "$INDEX"; [ $? -eq 1 ]; echo $?)" "every index line is regex: 1 or regex: -1"
for f in "$R1/results.json" "$BARE/results.json" "$data/matrix-7.3-boot1.json"; do
	"$EXP" --format lkp "$f" | cut -d: -f1 | sed 's/^/mmapbench./' >"$tmp/names"
	# each name matches exactly one regex, with the direction results.json gives
	bad=0
	while IFS= read -r re; do
		r=${re%: *}
		grep -Ec "^($r)\$" "$tmp/names"
	done <"$INDEX" | awk '{ s += $1 } END { print s }' >"$tmp/matched"
	[ "$(cat "$tmp/matched")" -eq "$(wc -l <"$tmp/names")" ] || bad=1
	ok $bad "${f#"$top"/}: every name matched by exactly one index regex ($(wc -l <"$tmp/names"))"
done
ok "$(grep -qx 'mmapbench\\\.storm\\\.\.+\\\.mmap_munmap_ops_per_s: 1' "$INDEX" &&
	grep -qx 'mmapbench\\\.storm\\\.\.+\\\.mmap: -1' "$INDEX" &&
	grep -qx 'mmapbench\\\.merge\\\.\.+\\\.merge-rate: 1' "$INDEX"; echo $?)" \
	"ops/s and merge-rate are higher-is-better, ns lower"

# mmtests: several runs, one interval each
mkdir -p "$tmp/mm/mmapbench-001" "$tmp/mm/mmapbench-002"
cp "$data/storm-aa-1.json" "$tmp/mm/mmapbench-001/results.json"
cp "$data/storm-aa-2.json" "$tmp/mm/mmapbench-002/results.json"
"$EXP" --format mmtests "$tmp/mm" >"$tmp/mm.out" 2>"$tmp/err"
ok $? "mmtests takes a directory of runs"
one=$("$EXP" --format mmtests "$data/storm-aa-1.json" | wc -l)
ok "$([ "$(cut -f4 "$tmp/mm.out" | sort -u | tr '\n' ' ')" = "1 2 " ] &&
	[ "$(wc -l <"$tmp/mm.out")" -eq $((2 * one)) ]; echo $?)" "two runs: intervals 1 and 2, $one rows each"
check_mmtests "$tmp/mm.out" 2>"$tmp/err"; ok $? "and the rows follow the format"

# Bad input: a clear message and a non-zero exit, no partial file.
run "$EXP" --format lkp "$tmp/mm"
ok "$([ $rc -eq 2 ] && grep -q 'takes one results.json' "$tmp/err"; echo $?)" "lkp refuses two runs (exit 2)"
run "$EXP" --format xml "$R1/results.json"
ok "$([ $rc -eq 2 ] && grep -q "unknown format 'xml'" "$tmp/err"; echo $?)" "an unknown format: exit 2"
run "$EXP" --format lkp "$tmp/none.json"
ok "$([ $rc -eq 2 ] && grep -q 'none.json' "$tmp/err"; echo $?)" "a missing file: exit 2, named"
jq '(.cases[] | select(.bench == "storm" and .target == "anon") | .metrics[] |
	select(.name == "mmap") | .better) |= "higher"' "$data/storm-aa-1.json" >"$tmp/dir.json"
run "$EXP" --format lkp-index "$tmp/dir.json"
ok "$([ $rc -eq 1 ] && grep -q 'storm.mmap is lower-is-better in .* and higher-is-better in' "$tmp/err"; echo $?)" \
	"one metric with two directions: exit 1, both cases named"
jq '(.cases[0].metrics[] | select(.name == "mmap") | .name) |= "mmap/munmap"' \
	"$data/storm-aa-1.json" | jq '(.cases[0].metrics[] | select(.name == "munmap") | .name) |= "mmap_per_munmap"' >"$tmp/coll.json"
run "$EXP" --format lkp -o "$tmp/coll.out" "$tmp/coll.json"
ok "$([ $rc -eq 1 ] && grep -q 'two metrics are both named' "$tmp/err" && [ ! -e "$tmp/coll.out" ] &&
	[ -z "$(ls "$tmp" | grep 'coll.out.tmp')" ]; echo $?)" "two metrics one name: exit 1, no output file"
run "$EXP" --format lava -o "$tmp/result.txt" "$R1/results.json"
ok "$([ $rc -eq 0 ] && cmp -s "$tmp/result.txt" "$tmp/good.lava"; echo $?)" "-o writes what stdout shows"

# The digest of a make bench result directory.
run "$DIG" "$R1"
printf '%s\n' "$out" >"$tmp/digest"
ok "$([ $rc -eq 0 ] && grep -q '^merge rate' "$tmp/digest" && grep -q '^storm, 4k private' "$tmp/digest" &&
	grep -q '^faults, 4k private' "$tmp/digest" && grep -q '^plots: .*/plots/$' "$tmp/digest"; echo $?)" \
	"the digest has the merge, storm and fault tables and the plots' place"
want=$(jq '[.cases[] | select(.bench == "merge" and .target == "prepare" and .params.flags == "shared") |
	.metrics[] | select(.name == "merge-rate") | .stats.median][0]' "$R1/results.json")
got=$(awk '$1 == "prepare:dontdump" && $2 == "shared" { print $3 }' "$tmp/digest")
ok "$(awk -v a="$got" -v b="$want" 'BEGIN { exit !(a != "" && a + 0 == b + 0) }'; echo $?)" \
	"the merge rate of prepare:dontdump, shared, is results.json's ($want)"
hf_in=$(jq '[.configs[] | select(.within_band)] | length' "$R1/hyperfine.json")
hf_n=$(jq '.configs | length' "$R1/hyperfine.json")
grep -q "^hyperfine cross-check: $hf_in of $hf_n configurations" "$tmp/digest"
ok $? "the hyperfine verdict counts hyperfine.json's configurations ($hf_in of $hf_n within the band)"
ok "$([ "$(wc -l <"$tmp/digest")" -le 60 ]; echo $?)" "the digest fits a screen ($(wc -l <"$tmp/digest") lines)"
run "$DIG" "$tmp"
ok "$([ $rc -eq 2 ] && grep -q 'results.json' "$tmp/err"; echo $?)" "no results.json: exit 2"

[ "$failed" -eq 0 ]
