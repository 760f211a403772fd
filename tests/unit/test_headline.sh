#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_headline.sh - which statistic mmapbench-compare, -track --history and -plot read
# (issue #13): a timing's headline stats.per_op (the median over samples of a sample's
# mean per op), for faults computed from their single timings in groups of the case's
# batch, with the fast path (stats.median) beside it as NAME-fast; the headers say which
# statistic and what the CI covers; older files (no headline, no timing, no whole
# samples) read with a NOTE, never a crash.  On tests/unit/data/faults-icount.json (see
# its README) and default-trimmed.json (an older result).  TAP.  Needs jq.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_headline.sh
set -u
export LC_ALL=C
bin=$(dirname "${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}")
CMP=$bin/mmapbench-compare
TRK=$bin/mmapbench-track
PLOT=$bin/mmapbench-plot
data=$(cd "$(dirname "$0")/data" && pwd)
F=$data/faults-icount.json
OLD=$data/default-trimmed.json
. "$(dirname "$0")/lib.sh"

need jq
plan 22
if [ ! -x "$CMP" ] || [ ! -x "$TRK" ]; then
	echo "not ok 1 - $CMP and $TRK are built (make -C bench)"
	exit 1
fi

# The JSON row of CASE (bench target) and METRIC: one jq expression's value.
rowq() {	# rowq JSONFILE BENCH TARGET METRIC EXPR
	jq -e --arg b "$2" --arg t "$3" --arg m "$4" "
		[.rows[] | select((.key | startswith(\$b + \"\t\" + \$t + \"\t\")) and
		 .metric == \$m)] | length == 1 and (.[0] | $5)" "$1" >/dev/null
}

# ---- one run: the headline per_op, the fast path beside it ----
run "$CMP" --json "$F" "$F"
ok "$rc" "compare --json of one file against itself: exit 0"
printf '%s\n' "$out" >"$tmp/one.json"
st=0
for c in "fault-read-seq memfd" "fault-write-seq anon"; do
	set -- $c
	po=$(jq --arg b "$1" --arg t "$2" '.cases[] | select(.bench == $b and .target == $t) |
		.metrics[] | select(.name == "touch") | .stats.per_op' "$F")
	fast=$(jq --arg b "$1" --arg t "$2" '.cases[] | select(.bench == $b and .target == $t) |
		.metrics[] | select(.name == "touch") | .stats.median' "$F")
	rowq "$tmp/one.json" "$1" "$2" touch "
		.statistic == \"per_op\" and ((.base.median - $po) | fabs) < 1e-9 * $po and
		.base.n == 20" || st=1
	rowq "$tmp/one.json" "$1" "$2" touch-fast "
		.statistic == \"fast\" and .base.median == $fast and .base.n == 5120" || st=1
done
ok $st "faults: touch is stats.per_op (20 sample means), touch-fast stats.median (5120 single timings)"
po=$(jq '.cases[] | select(.bench == "storm") | .metrics[] | select(.name == "mmap+munmap") |
	.stats.per_op' "$F")
rowq "$tmp/one.json" storm anon mmap+munmap ".statistic == \"per_op\" and
	((.base.median - $po) | fabs) < 1e-9 * $po"
ok $? "storm: a batch's mean as recorded, median = stats.per_op ($po)"
! jq -e '.rows[] | select(.metric == "mmap+munmap-fast")' "$tmp/one.json" >/dev/null
ok $? "a batched timing has no -fast row"
rowq "$tmp/one.json" fault-read-seq memfd minflt '.statistic == "value"'
ok $? "a reported count: statistic value"
# memfd reads: fault-around leaves one touch in 16 to fault: the two differ 30x
rowq "$tmp/one.json" fault-read-seq memfd touch '.base.median > 10 * 20'
ok $? "memfd read faults: the headline is not the fast path (fault-around's cheap touches)"
jq -e 'all(.rows[]; .ci_over == "samples") and (.base.notes == []) and
	(.method.value | test("per_op")) and (.method.ci_over | test("within that run"))' \
	"$tmp/one.json" >/dev/null
ok $? "one run a side: every CI over samples; no notes; the method names the statistic"

# ---- the text and Markdown headers ----
run "$CMP" "$F" "$F"
printf '%s\n' "$out" >"$tmp/one.txt"
grep -q "^#   timings: a sample is one sample's mean per op" "$tmp/one.txt" &&
	grep -q "the harness's headline, per_op" "$tmp/one.txt" &&
	grep -q '^#   NAME-fast: single ops' "$tmp/one.txt"
ok $? "text header: which statistic (per_op, and NAME-fast the fast path)"
grep -q '^# CI (behind \*): one run on a side: over its samples, within one run' "$tmp/one.txt"
ok $? "text header: the CI covers the samples of one run"
sed 's/\xc2\xb1/+/g' "$tmp/one.txt" >"$tmp/one.ascii"
m=$(awk '/^fault-read-seq memfd/ { c = 1; next } /^[a-z]/ { c = 0 }
	c && substr($0, 47) == "touch" { print $1 }' "$tmp/one.ascii")
f=$(awk '/^fault-read-seq memfd/ { c = 1; next } /^[a-z]/ { c = 0 }
	c && substr($0, 47) == "touch-fast" { print $1 }' "$tmp/one.ascii")
[ "$m" = "$(jq -r '.cases[] | select(.bench == "fault-read-seq") | .metrics[0].stats.per_op |
	. + 0.5 | floor' "$F")" ] && [ "$f" = "20" ]
ok $? "text rows: touch $m (per_op), touch-fast $f (the median single op)"
long=$(sed 's/\xc2\xb1/+/g' "$tmp/one.txt" | awk 'length > 72' | head -n 1)
[ -z "$long" ]
ok $? "every text line fits 72 columns${long:+ (not: $long)}"
run "$CMP" --markdown "$F" "$F"
printf '%s\n' "$out" | grep -q '95% CI of ratio (within one run)' &&
	printf '%s\n' "$out" | grep -q "headline per\\\\_op"
ok $? "markdown: the statistic, and the CI column says within one run"

# ---- several runs: the CI over runs ----
cp "$F" "$tmp/r1.json" && cp "$F" "$tmp/r2.json"
run "$CMP" --json "$tmp/r1.json,$tmp/r2.json" "$F,$tmp/r1.json"
printf '%s\n' "$out" | jq -e 'all(.rows[]; .ci_over == "runs" and .base.runs == 2)' >/dev/null
ok $? "two runs a side: every CI over runs"
run "$CMP" "$tmp/r1.json,$tmp/r2.json" "$F,$tmp/r1.json"
printf '%s\n' "$out" | grep -q '^# CI (behind \*): over the runs'
ok $? "text header: the CI over the runs"

# ---- track --history: the same statistic, named ----
ix=$tmp/h.tsv
"$TRK" --index "$ix" "$F" >/dev/null 2>&1 && "$TRK" --index "$ix" "$tmp/r1.json,$tmp/r2.json" \
	>/dev/null 2>&1
run "$TRK" --history --index "$ix"
printf '%s\n' "$out" >"$tmp/hist.tsv"
po=$(jq '.cases[] | select(.bench == "fault-read-seq") | .metrics[0].stats.per_op' "$F")
awk -F'\t' -v po="$po" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["bench"] == "fault-read-seq" && $c["metric"] == "touch" {
		n++; d = $c["median"] - po; if (d < 0) d = -d
		if ($c["statistic"] != "per_op" || d > 1e-9 * po) bad++
		ci[$c["seq"]] = $c["ci_over"] }
	$c["metric"] == "touch-fast" && $c["statistic"] != "fast" { bad++ }
	END { exit !(n == 2 && !bad && ci[1] == "samples" && ci[2] == "runs") }' "$tmp/hist.tsv"
ok $? "track --history: touch is per_op (statistic column), its CI over samples (1 file) or runs (2)"

# ---- plot: the per-result charts read stats.per_op ----
# (fault timings are charted as CDFs of their samples; a storm's per_op is its median
# of batch means, so a marked copy shows which field the chart reads)
jq '(.cases[] | select(.bench == "storm") | .metrics[0].stats) |=
	(.per_op = 12345.5 | .per_op_ci95_lo = 12000.25 | .per_op_ci95_hi = 12500.75)' "$F" \
	>"$tmp/marked.json"
mkdir -p "$tmp/plot" "$tmp/plot-old"
"$PLOT" "$tmp/marked.json" "$tmp/plot" >/dev/null 2>"$tmp/err"
g=$tmp/plot/latency-storm-mmap+munmap.gp
grep -q '12345.5' "$g" && grep -q '12000.25' "$g" && grep -q '12500.75' "$g" &&
	grep -q 'timings: per op (median of the samples' "$g"
ok $? "plot: a chart reads stats.per_op and its CI, and says so"
"$PLOT" "$OLD" "$tmp/plot-old" >/dev/null 2>"$tmp/err" &&
	grep -q 'older result without stats.per_op' "$tmp/plot-old/latency-storm-mmap+munmap.gp"
ok $? "plot of an older result (no per_op): the median, and it says so"

# ---- older results: read, and said so ----
run "$CMP" --json "$OLD" "$OLD"
printf '%s\n' "$out" >"$tmp/old.json"
want=$(jq '.cases[] | select(.bench == "fault-read-seq") | .metrics[0].samples |
	[_nwise(256) | add / length] | sort | (.[14] + .[15]) / 2' "$OLD")
[ "$rc" -eq 0 ] && jq -e --argjson w "$want" '(.base.notes | length) == 1 and
	(.base.notes[0] | test("no metrics\\[\\]\\.headline \\(tool be0b3b4")) and
	([.rows[] | select(.metric == "touch" and .statistic == "per_op")][0] |
	 ((.base.median - $w) | fabs) < 1e-9 * $w)' "$tmp/old.json" >/dev/null
ok $? "no headline (tool be0b3b4): a note, touch computed from 30 groups of 256 ($want)"
jq 'del(.cases[].metrics[].timing)' "$OLD" >"$tmp/notiming.json"
run "$CMP" "$tmp/notiming.json" "$tmp/notiming.json"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^# NOTE base: ' &&
	printf '%s\n' "$out" | grep -q '^#   as_recorded' && ! printf '%s\n' "$out" | grep -q 'touch-fast'
ok $? "no metrics[].timing: exit 0, a NOTE in the header, samples as recorded"
run "$CMP" --json "$tmp/notiming.json" "$tmp/notiming.json"
printf '%s\n' "$out" | jq -e '(.base.notes | length) == 1 and (.base.notes[0] |
	test("notiming.json: no metrics\\[\\]\\.timing .*a fault.s are single timings, its median the fast path")) and
	([.rows[] | select(.metric == "touch")][0].statistic == "as_recorded")' >/dev/null
ok $? "no metrics[].timing: the note says a fault's median is the fast path; statistic as_recorded"
jq '(.cases[] | select(.bench == "fault-read-seq") | .batch) = 300' "$OLD" >"$tmp/nogroup.json"
run "$CMP" --json "$tmp/nogroup.json" "$tmp/nogroup.json"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -e '
	(.base.notes | any(test("7680 single timings are not whole samples of the case.s batch \\(300\\)"))) and
	([.rows[] | select(.key | startswith("fault-read-seq")) | .metric] == ["touch-fast", "minflt"])' \
	>/dev/null
ok $? "single timings that are no whole samples: a note, the fast path only"
jq '(.cases[] | select(.bench == "fault-read-seq") | .batch) = 300' "$F" >"$tmp/nogroup-new.json"
run "$CMP" "$F" "$tmp/nogroup-new.json"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q 'touch: only in base'
ok $? "a headline on one side only: listed as not compared, not matched with the fast path"
