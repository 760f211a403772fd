#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_compare.sh - mmapbench-compare and mmapbench-track on real result files
# (tests/unit/data, see its README): the table, its signs and marks, the JSON and
# Markdown forms, result sets, unmatched cases, bad input, the history index.
# TAP.  Needs jq.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_compare.sh
set -u
# bytes are columns below: "\xc2\xb1" (the one non-ASCII character) is turned into "+"
export LC_ALL=C
bin=$(dirname "${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}")
CMP=$bin/mmapbench-compare
TRK=$bin/mmapbench-track
data=$(cd "$(dirname "$0")/data" && pwd)
A1=$data/storm-aa-1.json
A2=$data/storm-aa-2.json
. "$(dirname "$0")/lib.sh"

# The text row of METRIC under the case line CASE (the rows follow their case line).
row() {	# row CASE METRIC <text
	sed 's/\xc2\xb1/+/g' | awk -v c="$1" -v m="$2" '
		/^[a-z]/ { cur = $0; next }
		cur == c && substr($0, 47) == m { print; exit }'
}

# Rows of the table (lines after the column header up to the blank line).
rows() {
	awk '/^ +base +/ { t = 1; next } t && /^$/ { exit } t && /^ / { print }'
}

# A copy of FILE with every sample of METRIC of the case (bench, target) scaled.
scaled() {	# scaled FILE TARGET METRIC FACTOR OUT
	jq --arg t "$2" --arg m "$3" --argjson f "$4" '
		(.cases[] | select(.bench == "storm" and .target == $t) | .metrics[] |
		 select(.name == $m) | .samples) |= map(. * $f)' "$1" >"$5"
}

need jq
plan 89
if [ ! -x "$CMP" ] || [ ! -x "$TRK" ]; then
	echo "not ok 1 - $CMP and $TRK are built (make -C bench)"
	exit 1
fi

# ---- help, usage ----
run "$CMP" --help
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q -- '--markdown' &&
	printf '%s\n' "$out" | grep -q -- '--json' && printf '%s\n' "$out" | grep -q 'stddev'
ok $? "compare --help exits 0 and documents the forms and the spread"
run "$TRK" --help
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q -- '--threshold' &&
	printf '%s\n' "$out" | grep -q -- '--set-baseline'
ok $? "track --help exits 0 and documents --threshold and --set-baseline"
for args in "" "$A1" "$A1 $A2 $A2" "--bogus $A1 $A2" "--seed x $A1 $A2" "--seed"; do
	# shellcheck disable=SC2086
	run "$CMP" $args
	[ "$rc" -eq 2 ] && head -n 1 "$tmp/err" | grep -q '^mmapbench-compare: ' &&
		grep -q "^Try 'mmapbench-compare --help'" "$tmp/err"
	ok $? "compare usage error '${args:-no arguments}' -> exit 2, message and hint"
done
for args in "" "$A1 $A2" "--threshold -1 $A1" "--threshold abc $A1"; do
	# shellcheck disable=SC2086
	run "$TRK" --index "$tmp/u.tsv" $args
	[ "$rc" -eq 2 ] && grep -q "^Try 'mmapbench-track --help'" "$tmp/err"
	ok $? "track usage error '${args:-no arguments}' -> exit 2"
done

# ---- A/A: two runs of one configuration ----
run "$CMP" "$A1" "$A2"
aa=$out
ok "$rc" "A/A: exit 0"
[ "$(printf '%s\n' "$aa" | rows | wc -l)" -eq 10 ]
ok $? "A/A: 10 rows (2 cases x 5 metrics)"
# (This pair is one of the 2 of 12 in which nothing is marked: it shows the table, not
# the false-alarm rate; the committed 20-pair A/A set below does that.)
m=$(printf '%s\n' "$aa" | rows | grep -c '%\*')
printf '%s\n' "$aa" | grep -q "^10 metrics compared, $m significant"
ok $? "the summary line counts the rows marked significant ($m)"
# ---- A/A over the committed set: 20 pairs of 6 processes a side (scripts/guest/aa) ----
AA=$(cd "$(dirname "$0")/../../results/20261124T100135Z-aa" && pwd)
st=0 rows=0 fixed=0 flagged=0 timed=0 tflag=0 same=0
for p in "$AA"/runs/p*; do
	pp=$(basename "$p")
	"$CMP" --json "$p/a" "$p/b" >"$tmp/aa-$pp.json" 2>/dev/null || st=1
	# rows, rows that cannot vary (one value in every sample), flagged, timed, timed flagged
	set -- $(jq -r '[(.rows | length),
		([.rows[] | select(.base.cv_pct == 0 and .patched.cv_pct == 0)] | length),
		([.rows[] | select(.significant)] | length),
		([.rows[] | select(.unit == "ns" or .unit == "ops/s")] | length),
		([.rows[] | select((.unit == "ns" or .unit == "ops/s") and .significant)] | length),
		([.rows[] | select(.significant and .base.cv_pct == 0 and .patched.cv_pct == 0)] | length)]
		| @tsv' "$tmp/aa-$pp.json" 2>/dev/null || echo x)
	[ $# -eq 6 ] || { st=1; continue; }
	rows=$((rows + $1)) fixed=$((fixed + $2)) flagged=$((flagged + $3)) timed=$((timed + $4))
	tflag=$((tflag + $5))
	[ "$6" = 0 ] || st=1
	# the committed compare output of the pair (an older compare, whose fault row
	# "touch" pooled the single timings: today's "touch-fast"): the same rows marked
	[ "$(jq -c '[.rows[] | select(.metric != "touch") |
		[(.metric | sub("-fast$"; "")), .significant]]' "$tmp/aa-$pp.json")" = \
	  "$(jq -c '[.rows[] | [.metric, .significant]]' "$AA/cmp/$pp.json")" ] &&
		same=$((same + 1))
done
# 22 rows a pair then, and the 2 fault cases' per-op headline (touch) now
[ $st -eq 0 ] && [ "$rows" -eq 480 ] && [ "$fixed" -eq 120 ] && [ "$timed" -eq 360 ]
ok $? "A/A, 20 committed pairs: 480 rows, 360 timed, 120 that cannot vary, never marked"
[ "$same" -eq 20 ]
ok $? "A/A: each pair marks the rows its committed comparison marked, touch-fast as its touch ($same of 20)"
# At alpha 0.05 and a CI excluding 1, about 5 % of timed rows; this host's speed states
# between processes make it 6.6 % (21 of 320).  Bound: under 10 %, and not 0.
[ "$tflag" -gt 0 ] && [ $((tflag * 100)) -lt $((timed * 10)) ] && [ "$tflag" -eq "$flagged" ]
ok $? "A/A: $tflag of $timed timed rows marked ($(awk -v a="$tflag" -v b="$timed" 'BEGIN { printf "%.1f", b ? 100 * a / b : 0 }') %), under 10 %"
printf '%s\n' "$aa" | grep -q '^# kernel  *[^ ].* (both)$' &&
	printf '%s\n' "$aa" | grep -q '^# accel  *bare (both)' &&
	printf '%s\n' "$aa" | grep -q '^# counter  *[a-z0-9-]* (both)' &&
	printf '%s\n' "$aa" | grep -q '^# cpu ' &&
	printf '%s\n' "$aa" | grep -q '^# base  *1 run: ' &&
	printf '%s\n' "$aa" | grep -q '^# patched  *1 run: '
ok $? "header: kernel, accel, counter, CPU, runs a side"
printf '%s\n' "$aa" | grep -q '^# WARNING  *fewer than 6 runs a side (base 1, patched 1)' &&
	grep -q '^mmapbench-compare: warning: fewer than 6 runs a side' "$tmp/err"
ok $? "under 6 runs a side: a warning in the header and on stderr"
printf '%s\n' "$aa" | grep -q 'stddev as % of the mean (not the standard error)'
ok $? "header: the spread is the stddev as % of the mean, not the standard error"
printf '%s\n' "$aa" | grep -q '^# better *lower is better: mmap+munmap, mmap, munmap$' &&
	printf '%s\n' "$aa" | grep -q 'higher is better: mmap+munmap ops/s,'
ok $? "header: which direction is better, from the metrics' better field"
long=$(printf '%s\n' "$aa" | sed 's/\xc2\xb1/+/g' | awk 'length > 72' | head -n 1)
[ -z "$long" ]
ok $? "every line fits 72 columns${long:+ (not: $long)}"

# ---- the columns against the data ----
run "$CMP" --json "$A1" "$A2"
js=$out
printf '%s\n' "$js" | jq -e '.schema == "mmapbench-compare/1" and (.rows | length) == 10' \
	>/dev/null
ok $? "--json parses (jq), schema mmapbench-compare/1, 10 rows"
# median of 8 samples: the mean of the 4th and 5th, computed here with jq
med() {	# med FILE TARGET METRIC
	jq --arg t "$2" --arg m "$3" '.cases[] | select(.target == $t) | .metrics[] |
		select(.name == $m) | .samples | sort | (.[3] + .[4]) / 2' "$1"
}
b=$(med "$A1" memfd mmap)
p=$(med "$A2" memfd mmap)
printf '%s\n' "$js" | jq -e --argjson b "$b" --argjson p "$p" '
	.rows[] | select(.case == "storm memfd 4k prv t1" and .metric == "mmap") |
	.base.median == $b and .patched.median == $p and .base.runs == 1 and .base.n == 8 and
	((.change_pct - ($p / $b - 1) * 100) | fabs) < 1e-9' >/dev/null
ok $? "base and patched are the medians of the samples; %change = patched/base - 1"
line=$(printf '%s\n' "$aa" | row "storm memfd 4k prv t1" mmap)
set -- $line
[ "$1" = "$(printf '%.0f' "$b")" ] && [ "$(printf '%s\n' "$line" | cut -c 47-)" = mmap ]
ok $? "text row: base in the first column, the metric from column 47 ($line)"
printf '%s\n' "$js" | jq -e 'all(.rows[];
	((.change_pct > 0) == (.patched.median > .base.median)) and
	((.change_pct < 0) == (.patched.median < .base.median)))' >/dev/null
ok $? "the sign of %change follows patched - base on every row"
st=0
for m in "mmap+munmap" mmap munmap "mmap+munmap ops/s" "mmap+munmap ops/s/thread"; do
	for t in anon memfd; do
		want=$(printf '%s\n' "$js" | jq -r --arg t "storm $t 4k prv t1" --arg m "$m" '
			.rows[] | select(.case == $t and .metric == $m) | .change_pct')
		got=$(printf '%s\n' "$aa" | row "storm $t 4k prv t1" "$m" | cut -c 18-26 | tr -d ' %+')
		# both non-empty: two missing values would compare equal
		[ -n "$got" ] && [ -n "$want" ] &&
			awk -v g="$got" -v w="$want" 'BEGIN { exit !((g - w) ^ 2 < 0.0026) }' || st=1
	done
done
ok $st "text %change equals the JSON change_pct to 0.1 on every row"
printf '%s\n' "$js" | jq -e 'all(.rows[]; .p >= 0 and .p <= 1 and .test == "exact" and
	.ci_lo <= .ci_hi and (.better == "lower") == (.unit == "ns") and
	(.base.cv_pct | type) == "number")' >/dev/null
ok $? "every row: p in [0, 1], exact test (8 samples), CI ordered, better from the file"
printf '%s\n' "$js" | jq -e '(.warnings | length) > 0 and .method.seed == 1 and
	.method.bootstrap_B == 2000 and .method.alpha == 0.05' >/dev/null
ok $? "JSON: warnings and the method (alpha, B, seed)"
run "$CMP" --json "$A1" "$A2"
[ -n "$js" ] && [ "$out" = "$js" ]
ok $? "the same inputs and seed: the same output"
run "$CMP" --json --seed 2 "$A1" "$A2"
[ "$out" != "$js" ] && printf '%s\n' "$out" | jq -e '.method.seed == 2' >/dev/null
ok $? "another seed: other bootstrap intervals"

run "$CMP" --markdown "$A1" "$A2"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^| case | metric | better | base |' &&
	[ "$(printf '%s\n' "$out" | grep -c '^| storm ')" -eq 10 ] &&
	printf '%s\n' "$out" | grep -q '^\*\*Warning:\*\* fewer than 6 runs'
ok $? "--markdown: a table with 10 rows, the warning"

# ---- A against itself ----
run "$CMP" --json "$A1" "$A1"
printf '%s\n' "$out" | jq -e 'all(.rows[]; .change_pct == 0 and .p == 1 and
	(.significant | not) and .ci_lo <= 1 and .ci_hi >= 1)' >/dev/null
ok $? "a run against itself: 0 % change, p = 1, nothing marked"

# ---- an injected regression and an improvement ----
P=$tmp/regressed.json
scaled "$A2" memfd munmap 1.2 "$P"
run "$CMP" "$A1" "$P"
r=$(printf '%s\n' "$out" | row "storm memfd 4k prv t1" munmap)
printf '%s\n' "$r" | grep -q '+2[0-9]\.[0-9]%\*'
ok $? "munmap x 1.2: its row is marked, %change about +20 ($r)"
[ "$(printf '%s\n' "$out" | rows | grep -c '%\*')" -eq 1 ]
ok $? "and only that row"
printf '%s\n' "$out" | grep -q '^10 metrics compared, 1 significant (0 better, 1 worse)$'
ok $? "the summary counts it as worse (lower is better)"
run "$CMP" --json "$A1" "$P"
printf '%s\n' "$out" | jq -e '.rows[] | select(.case == "storm memfd 4k prv t1" and
	.metric == "munmap") | .significant and .verdict == "worse" and .p < 0.05 and
	.ci_lo > 1' >/dev/null
ok $? "JSON: significant, worse, p < 0.05, CI above 1"
I=$tmp/improved.json
scaled "$A2" anon "mmap+munmap ops/s" 1.2 "$I"
run "$CMP" --json "$A1" "$I"
printf '%s\n' "$out" | jq -e '[.rows[] | select(.significant)] | length == 1 and
	.[0].metric == "mmap+munmap ops/s" and .[0].verdict == "better"' >/dev/null
ok $? "ops/s x 1.2: marked, and better (higher is better)"

# ---- result sets: directories, lists, pooling ----
mkdir -p "$tmp/set/x" "$tmp/set/y/z" "$tmp/set/skip"
cp "$A1" "$tmp/set/x/results.json"
cp "$A2" "$tmp/set/y/z/results.json"
cp "$A2" "$tmp/set/skip/other.json"
ln -s ../x "$tmp/set/y/link"
run "$CMP" --json "$tmp/set" "$A2"
printf '%s\n' "$out" | jq -e '.base.runs == 2 and all(.rows[]; .base.runs == 2 and
	.base.n == 16)' >/dev/null
ok $? "a directory: every results.json under it (symlinks not followed), runs pooled"
run "$CMP" --json "$A1,$A2" "$A2"
printf '%s\n' "$out" | jq -e '.base.runs == 2 and .patched.runs == 1 and
	all(.rows[]; .base.n == 16 and .patched.n == 8)' >/dev/null
ok $? "a comma list: two runs pooled"
run "$CMP" --json "$A1,$A1" "$A2"
printf '%s\n' "$out" | jq -e '.base.runs == 1' >/dev/null
ok $? "a file named twice counts once"
run "$CMP" "$A1,$A2" "$A2"
printf '%s\n' "$out" | grep -q '^# base  *2 runs: '
ok $? "the header gives the run count"

# ---- unmatched ----
jq 'del(.cases[] | select(.target == "anon"))' "$A2" >"$tmp/no-anon.json"
run "$CMP" "$A1" "$tmp/no-anon.json"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^Not compared:$' &&
	printf '%s\n' "$out" | grep -q '^  storm anon 4k prv t1: only in base$' &&
	[ "$(printf '%s\n' "$out" | rows | wc -l)" -eq 5 ]
ok $? "a case only in base: listed at the end, the rest compared"
run "$CMP" "$tmp/no-anon.json" "$A1"
printf '%s\n' "$out" | grep -q '^  storm anon 4k prv t1: only in patched$'
ok $? "a case only in patched: listed"
jq '(.cases[] | select(.target == "memfd") | .metrics) |= map(select(.name != "mmap"))' \
	"$A2" >"$tmp/no-mmap.json"
run "$CMP" "$A1" "$tmp/no-mmap.json"
printf '%s\n' "$out" | grep -q '^  storm memfd 4k prv t1: mmap: only in base$'
ok $? "a metric only in base: listed with its case"
jq '(.cases[] | select(.target == "memfd")) |= (.status = "skipped" |
	.reason = "no memfd today" | .metrics = [])' "$A2" >"$tmp/skip.json"
run "$CMP" "$A1" "$tmp/skip.json"
printf '%s\n' "$out" | grep -q '^  storm memfd 4k prv t1: skipped in patched (no memfd today)$'
ok $? "a case skipped in patched: listed with the reason"
run "$CMP" "$tmp/skip.json" "$tmp/skip.json"
printf '%s\n' "$out" | grep -q '^  1 case skipped or failed on both sides$'
ok $? "skipped on both sides: counted"
jq '.env.accel = "kvm"' "$A2" >"$tmp/kvm.json"
run "$CMP" --mixed-clocks "$A1" "$tmp/kvm.json"
printf '%s\n' "$out" | grep -q '^# accel  *bare | kvm$' &&
	printf '%s\n' "$out" | grep -q '^# WARNING  *the sides ran on different accel/CPU/counter'
ok $? "different accelerators: both shown, and a warning"

# ---- bad input: exit 2, one line naming the file and what is wrong ----
bad() {	# bad DESCRIPTION PATTERN BASE PREFIX: stderr is "mmapbench-compare: PREFIX...PATTERN"
	run "$CMP" "$3" "$A2"
	[ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		grep -q "^mmapbench-compare: $4" "$tmp/err" && grep -q "$2" "$tmp/err"
	ok $? "$1 -> exit 2: $(cat "$tmp/err")"
}
echo 'not json' >"$tmp/text.json"
head -c 3000 "$A1" >"$tmp/cut.json"
: >"$tmp/empty.json"
echo '[1, 2]' >"$tmp/array.json"
echo '{"schema": "other/1", "cases": []}' >"$tmp/schema.json"
jq '.cases = []' "$A1" >"$tmp/nocases.json"
jq '.cases = {}' "$A1" >"$tmp/casesobj.json"
jq 'del(.env)' "$A1" >"$tmp/noenv.json"
jq '.cases[0].metrics[1].samples[3] = "fast"' "$A1" >"$tmp/sample.json"
jq '.cases[1].metrics[0].samples = 7' "$A1" >"$tmp/samples.json"
jq 'del(.cases[0].bench)' "$A1" >"$tmp/nobench.json"
jq '.cases[0].params = [1]' "$A1" >"$tmp/params.json"
jq '.cases |= map(.status = "skipped" | .metrics = [])' "$A1" >"$tmp/allskip.json"
mkdir "$tmp/emptydir"
bad "not JSON" "not JSON (line 1" "$tmp/text.json" "$tmp/text.json: "
bad "truncated JSON" "not JSON" "$tmp/cut.json" "$tmp/cut.json: "
bad "an empty file" "not JSON" "$tmp/empty.json" "$tmp/empty.json: "
bad "a JSON array" "not an mmapbench results file" "$tmp/array.json" "$tmp/array.json: "
bad "another schema" 'schema "other/1", want "mmapbench-results/1"' "$tmp/schema.json" \
	"$tmp/schema.json: "
bad "no cases" "no cases" "$tmp/nocases.json" "$tmp/nocases.json: "
bad "cases not an array" "no cases array" "$tmp/casesobj.json" "$tmp/casesobj.json: "
bad "no env" "no env" "$tmp/noenv.json" "$tmp/noenv.json: "
bad "a sample that is a string" 'cases\[0\].metrics\[1\] (mmap): samples\[3\] is not a number' \
	"$tmp/sample.json" "$tmp/sample.json: "
bad "samples not an array" "no samples array" "$tmp/samples.json" "$tmp/samples.json: "
bad "a case without bench" "no bench or target" "$tmp/nobench.json" "$tmp/nobench.json: "
bad "params not an object" "params is not an object" "$tmp/params.json" "$tmp/params.json: "
bad "every case skipped" "no completed case" "$tmp/allskip.json" "$tmp/allskip.json: "
bad "a missing file" "cannot read: No such file" "$tmp/nosuch.json" "$tmp/nosuch.json: "
bad "a directory without results.json" "no results.json under" "$tmp/emptydir" "$tmp/emptydir: "
bad "an empty list item" "an empty item" "$A1,,$A2" ""
bad "a bad file in a list" "not JSON" "$A1,$tmp/cut.json" "$tmp/cut.json: "
run "$CMP" "$A1" "$tmp/schema.json"
[ "$rc" -eq 2 ] && grep -q "^mmapbench-compare: $tmp/schema.json: " "$tmp/err"
ok $? "a bad PATCHED is named too"

# ---- track ----
ix=$tmp/hist/index.tsv
run "$TRK" --index "$ix" "$A1"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q 'as the baseline of its environment' &&
	[ "$(wc -l <"$ix")" -eq 2 ] && head -n 1 "$ix" | grep -q '^recorded	run	run_date	kernel_release	tool_version	accel	counter	cpu_model	baseline	verdict$'
ok $? "track: the first run of an environment becomes its baseline (index created)"
tail -n 1 "$ix" | awk -F '\t' -v f="$A1" 'NF == 10 && $2 == f && $6 == "bare" &&
	$9 == "yes" && $10 == "baseline" && $3 ~ /Z$/ { ok = 1 } END { exit !ok }'
ok $? "the index line: run, date, kernel, tool, accel, counter, CPU, baseline"
run "$TRK" --index "$ix" "$A2"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^track: no regression beyond 5%' &&
	tail -n 1 "$ix" | grep -q '	no	ok$'
ok $? "track A/A: exit 0, recorded as ok"
run "$TRK" --index "$ix" "$P"
[ "$rc" -eq 1 ] && grep -q '^mmapbench-track: regression beyond 5%: storm memfd 4k prv t1: munmap +2' "$tmp/err" &&
	[ "$(grep -c regression "$tmp/err")" -eq 1 ] &&
	printf '%s\n' "$out" | grep -q '^track: REGRESSION storm memfd 4k prv t1: munmap +2' &&
	tail -n 1 "$ix" | grep -q '	regressed:1$'
ok $? "track of the injected regression: exit 1 naming the metric, recorded"
run "$TRK" --index "$ix" "$I"
[ "$rc" -eq 0 ]
ok $? "track of an improvement: exit 0"
run "$TRK" --index "$ix" --threshold 30 "$tmp/regressed.json"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q 'already in' &&
	printf '%s\n' "$out" | grep -q 'no regression beyond 30%'
ok $? "--threshold 30: +20 % is not a regression; a run already recorded is not added"
lines=$(wc -l <"$ix")
run "$TRK" --index "$ix" "$A2"
[ "$rc" -eq 0 ] && [ "$(wc -l <"$ix")" -eq "$lines" ]
ok $? "tracking a recorded run again adds no line"
run "$TRK" --index "$ix" --set-baseline "$P"
[ "$rc" -eq 0 ] && tail -n 1 "$ix" | awk -F '\t' '$9 == "yes" { ok = 1 } END { exit !ok }'
ok $? "--set-baseline: exit 0, the run marked as the baseline"
run "$TRK" --index "$ix" "$tmp/no-anon.json"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q "^track: baseline $P "
ok $? "the next run is compared with the new baseline"
run "$TRK" --index "$ix" "$tmp/kvm.json"
[ "$rc" -eq 0 ] && tail -n 1 "$ix" | awk -F '\t' '$6 == "kvm" && $9 == "yes" { ok = 1 } END { exit !ok }'
ok $? "another environment (accel kvm) gets its own baseline"
awk -F '\t' 'NF != 10 { bad = 1 } END { exit bad }' "$ix" &&
	[ -z "$(find "$tmp/hist" -name '*.tmp.*')" ]
ok $? "every index line has 10 fields; no temporary file left"
run "$TRK" --index "$ix" "$A1,$tmp/kvm.json"
[ "$rc" -eq 2 ] && grep -q 'more than one environment' "$tmp/err"
ok $? "a set mixing environments: exit 2"
run "$TRK" --index "$ix" "$tmp/cut.json"
[ "$rc" -eq 2 ] && grep -q "^mmapbench-track: $tmp/cut.json: not JSON" "$tmp/err"
ok $? "a bad results file: exit 2 naming it"
printf 'something else\n' >"$tmp/bad.tsv"
run "$TRK" --index "$tmp/bad.tsv" "$A1"
[ "$rc" -eq 2 ] && grep -q 'not a track index' "$tmp/err" &&
	[ "$(cat "$tmp/bad.tsv")" = "something else" ]
ok $? "an index with another header: exit 2, left alone"
head -n 1 "$ix" >"$tmp/short.tsv"
printf 'a\tb\n' >>"$tmp/short.tsv"
run "$TRK" --index "$tmp/short.tsv" "$A1"
[ "$rc" -eq 2 ] && grep -q 'short.tsv:2: expected 10 tab-separated fields' "$tmp/err"
ok $? "an index line with too few fields: exit 2 naming the line"
ix2=$tmp/h2/index.tsv
cp "$A1" "$tmp/gone.json"
"$TRK" --index "$ix2" "$tmp/gone.json" >/dev/null 2>&1
rm "$tmp/gone.json"
run "$TRK" --index "$ix2" "$A2"
[ "$rc" -eq 2 ] && grep -q 'the baseline: .*gone.json: cannot read' "$tmp/err"
ok $? "a baseline whose files are gone: exit 2 saying so"

# ---- track --history: the data of the history plot ----
ixh=$tmp/hh/index.tsv
"$TRK" --index "$ixh" "$A1" >/dev/null 2>&1
"$TRK" --index "$ixh" "$A1,$A2" >/dev/null 2>&1
run "$TRK" --history --index "$ixh"
hdr='seq	recorded	run	kernel_release	accel	counter	cpu_model	baseline	bench	target	profile	params	case	metric	unit	better	runs	n	median	ci95_lo	ci95_hi	statistic	ci_over'
[ "$rc" -eq 0 ] && [ "$(printf '%s\n' "$out" | head -n 1)" = "$hdr" ] &&
	[ "$(printf '%s\n' "$out" | awk -F '\t' 'NR > 1 && NF == 23' | wc -l)" -eq 20 ] &&
	[ "$(printf '%s\n' "$out" | awk -F '\t' '$1 == 2 && $17 == 2 && $18 == 16' | wc -l)" -eq 10 ]
ok $? "track --history: a header, a line per run and metric (2 cases x 5), the second run pooling 2 files"
med=$("$CMP" --json "$A1" "$A2" 2>/dev/null | jq -r '.rows[] | select(.case == "storm memfd 4k prv t1" and .metric == "munmap") | .base.median')
printf '%s\n' "$out" | awk -F '\t' -v m="$med" '$1 == 1 && $13 == "storm memfd 4k prv t1" &&
	$14 == "munmap" && $19 == m + 0 && $20 <= $19 && $19 <= $21 && $8 == "yes" { ok = 1 } END { exit !ok }'
ok $? "track --history: the median is compare's, inside its CI; the baseline marked"
run "$TRK" --history --index "$tmp/nosuch.tsv"
[ "$rc" -eq 2 ] && grep -q 'no recorded run' "$tmp/err"
ok $? "track --history without an index: exit 2"
run "$TRK" --history --index "$ixh" "$A1"
[ "$rc" -eq 2 ] && grep -q 'takes no RESULTS' "$tmp/err"
ok $? "track --history with RESULTS: usage error"
run "$TRK" --history --set-baseline --index "$ixh"
[ "$rc" -eq 2 ] && [ "$(wc -l <"$ixh")" -eq 3 ]
ok $? "track --history --set-baseline: usage error, the index untouched"
ix3=$tmp/h3/index.tsv
cp "$A1" "$tmp/gone2.json"
"$TRK" --index "$ix3" "$tmp/gone2.json" >/dev/null 2>&1
"$TRK" --index "$ix3" "$A2" >/dev/null 2>&1
rm "$tmp/gone2.json"
run "$TRK" --history --index "$ix3"
[ "$rc" -eq 0 ] && grep -q "warning: $ix3:2: .*gone2.json: cannot read.*(left out)" "$tmp/err" &&
	[ "$(printf '%s\n' "$out" | awk -F '\t' '$1 == 1' | wc -l)" -eq 0 ] &&
	[ "$(printf '%s\n' "$out" | awk -F '\t' '$1 == 2' | wc -l)" -gt 0 ]
ok $? "track --history: a run whose files are gone is left out with a warning"

[ "$failed" -eq 0 ]
