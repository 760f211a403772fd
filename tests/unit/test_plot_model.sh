#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_plot_model.sh - mmapbench-plot, the chart model (bench/analyze/plot.c), on real
# result files (tests/unit/data, see its README): which charts a file gets, their
# axes (log2/log10/linear x, log y exactly when the plotted medians span more than
# 30x), their units (under icount "instructions (icount)", never ns), the CDF's
# ends; --compare and --history; bad input: a named error and exit 2, no file left.
# TAP.  Needs jq (the chroot has it): run by `make -C bench check`.
set -u
bin=$(cd "$(dirname "${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}")" && pwd)
PLOT=$bin/mmapbench-plot
data=$(cd "$(dirname "$0")/data" && pwd)
DEF=$data/default-trimmed.json
ICO=$data/icount-trimmed.json
MX=$data/matrix-7.3-boot1.json
. "$(dirname "$0")/lib.sh"
need jq
plan 26

# model FILE DIR: the charts of FILE in DIR (made afresh)
model() {
	rm -rf "$2" && mkdir -p "$2" && "$PLOT" "$1" "$2" 2>"$tmp/err"
}
# names DIR: the charts in DIR, sorted
names() { ls "$1" | sed -n 's/\.gp$//p' | sort; }
# ys GP: column 2 of every data block (the medians)
ys() { awk '/ << EOD$/ { d = 1; next } /^EOD$/ { d = 0 } d { print $2 }' "$1"; }
# spread GP: "yes" when the largest positive median is more than 30x the smallest
spread() { ys "$1" | awk '$1 > 0 { if (!n++ || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
	END { print (n && hi > 30 * lo) ? "yes" : "no" }'; }

# ---- which charts: from the data, per bench ----
# expect FILE: the chart names the rules give for FILE (ok cases), computed with jq
expect() {
	jq -r '[.cases[] | select(.status == "ok")] | group_by(.bench)[] | .[0].bench as $b |
		(if ([.[].params.size | numbers] | unique | length) > 1 then "\($b)-vs-size" else empty end),
		(if ([.[].params.count | numbers] | unique | length) > 1 then "\($b)-vs-count" else empty end),
		(if ([.[].params.threads | numbers] | unique | length) > 1 then "\($b)-vs-threads" else empty end),
		(if any(.[].metrics[]; .timing == "each") then "\($b)-cdf" else empty end),
		(if ([.[].params.count | numbers] | unique | length) <= 1 then
			([.[].metrics[] | select((.unit == "ns" or .unit == "insn") and .timing != "each") | .name] | unique[] |
				"latency-\($b)-\(gsub("[^A-Za-z0-9._+-]+"; "_"))") else empty end),
		(if .[0].family == "merge" then "merge-rate", "merge-vmas" else empty end)' "$1" | sort -u
}
for f in "$DEF" "$ICO" "$MX"; do
	base=$(basename "$f" .json)
	model "$f" "$tmp/$base"
	[ $? -eq 0 ] && [ "$(names "$tmp/$base")" = "$(expect "$f")" ]
	ok $? "$base: one chart per rule that its data meets, no other ($(names "$tmp/$base" | wc -l | tr -d ' '))"
done
[ -z "$(ls -A "$tmp/default-trimmed" | grep -v -E '\.gp(\.size)?$')" ] &&
	[ "$(ls "$tmp/default-trimmed" | grep -c '\.gp$')" -eq "$(ls "$tmp/default-trimmed" | grep -c '\.gp\.size$')" ]
ok $? "each chart is NAME.gp and NAME.gp.size, no temporary file left"
grep -q -x '[0-9][0-9]* [0-9][0-9]*' "$tmp/default-trimmed/storm-vs-size.gp.size"
ok $? "NAME.gp.size is 'W H'"

# ---- axes ----
d=$tmp/default-trimmed
grep -q '^set logscale x 2$' "$d/storm-vs-size.gp" && ! grep -q '^unset logscale x' "$d/storm-vs-size.gp"
ok $? "cost against size: x on a log2 scale in every panel"
grep -q '^set logscale x 10$' "$d/storm-vmas-vs-count.gp" && ! grep -q '^unset logscale x' "$d/storm-vmas-vs-count.gp"
ok $? "cost against VMAs present: x on a log10 scale"
! grep -q '^set logscale' "$d/storm-vs-threads.gp" && grep -q '^set yrange \[0:\*\]$' "$d/storm-vs-threads.gp"
ok $? "throughput against threads: linear axes, y from 0"
good=0 all=0 logy=0
for gp in "$d"/*-vs-size.gp "$d"/*-vs-count.gp "$tmp"/icount-trimmed/*-vs-size.gp "$tmp"/icount-trimmed/*-vs-count.gp; do
	all=$((all + 1))
	if grep -q '^set logscale y$' "$gp"; then has=yes logy=$((logy + 1)); else has=no; fi
	[ "$has" = "$(spread "$gp")" ] && good=$((good + 1))
done
[ "$logy" -gt 0 ] && [ "$logy" -lt "$all" ] && [ "$good" -eq "$all" ]
ok $? "y is log exactly when the medians span more than 30x ($good of $all charts, $logy log)"
grep -q '^set yrange \[0:1\]$' "$d/fault-read-seq-cdf.gp" && grep -q '^set logscale x 10$' "$d/fault-read-seq-cdf.gp" &&
	awk '/ << EOD$/ { d = 1; first = 1; next } /^EOD$/ { d = 0; if (last != 1) bad = 1 }
		d { if (first && $2 != 0) bad = 1; first = 0; last = $2 } END { exit bad }' "$d/fault-read-seq-cdf.gp"
ok $? "CDF: x log10, y [0:1], each line from fraction 0 to 1"
[ "$(ys "$d/fault-read-seq-cdf.gp" | wc -l)" -eq $((401 * $(grep -c ' << EOD$' "$d/fault-read-seq-cdf.gp"))) ]
ok $? "CDF: 401 points a line"
m=$tmp/matrix-7.3-boot1
grep -q '^set yrange \[0:1.05\]$' "$m/merge-rate.gp" && grep -q "sprintf('%.2g', \$2)" "$m/merge-rate.gp" &&
	grep -q "sprintf('%.0f', \$2)" "$m/merge-vmas.gp"
ok $? "merges: rate on [0:1.05], values written on the bars"
cats=$(jq -r '[.cases[] | select(.status == "ok" and .family == "merge") |
	.target + (if .profile then ":" + .profile else "" end)] | unique | length' "$MX")
[ "$(sed -n 's/^set xtics (\(.*\))$/\1/p' "$m/merge-rate.gp" | head -n 1 | tr ',' '\n' | wc -l)" -eq "$cats" ]
ok $? "merges: one category per target[:profile] of the file ($cats)"

# ---- units ----
i=$tmp/icount-trimmed
! grep -h '^set [xy]label' "$i"/*.gp | grep -q -E '(^|[^a-z])ns([^a-z]|$)'
ok $? "icount: no axis says ns"
[ "$(grep -l '^set ylabel "instructions (icount) per' "$i"/latency-*.gp | wc -l)" -eq "$(ls "$i"/latency-*.gp | wc -l)" ] &&
	grep -q '^set xlabel "instructions (icount) per page touched' "$i/fault-read-seq-cdf.gp"
ok $? "icount: every latency axis and the CDF's x say instructions (icount)"
grep -q '^set ylabel "ns per mmap (lower is better)"$' "$d/latency-storm-mmap.gp" &&
	! grep -h '^set [xy]label' "$d"/*.gp | grep -q 'icount'
ok $? "tcg: ns, never instructions"
grep -q 'clock icount' "$i/storm-vs-size.gp" && ! grep -q 'clock ' "$d/storm-vs-size.gp"
ok $? "the title names the clock when it is not the accelerator"

# ---- --compare, --history ----
"$bin/mmapbench-compare" --json "$data/storm-aa-1.json" "$data/storm-aa-2.json" >"$tmp/cmp.json" 2>/dev/null
mkdir -p "$tmp/c"
"$PLOT" --compare "$tmp/cmp.json" "$tmp/c" aa 2>"$tmp/err" &&
	[ "$(sed -n 's/^set ytics (\(.*\))$/\1/p' "$tmp/c/aa.gp" | grep -o '" [0-9]*' | wc -l)" -eq "$(jq '.rows | length' "$tmp/cmp.json")" ] &&
	[ "$(ls "$tmp/c")" = "$(printf 'aa.gp\naa.gp.size')" ]
ok $? "--compare: NAME.gp with one row per compared metric"
sig=$(jq '[.rows[] | select(.significant)] | length' "$tmp/cmp.json")
[ "$(grep -c 'title "significant' "$tmp/c/aa.gp")" -eq "$( [ "$sig" -gt 0 ] && echo 1 || echo 0)" ] &&
	grep -q "title \"not significant\"" "$tmp/c/aa.gp"
ok $? "--compare: rows in the series of their class ($sig significant)"
"$bin/mmapbench-track" --index "$tmp/h/index.tsv" "$data/storm-aa-1.json" >/dev/null 2>&1
"$bin/mmapbench-track" --index "$tmp/h/index.tsv" "$data/storm-aa-2.json" >/dev/null 2>&1
"$bin/mmapbench-track" --history --index "$tmp/h/index.tsv" >"$tmp/h.tsv" 2>/dev/null
mkdir -p "$tmp/ho"
want=$(awk -F'\t' 'NR > 1 && $16 != "none" { print $9 "\t" $14 }' "$tmp/h.tsv" | sort -u | wc -l)
"$PLOT" --history "$tmp/h.tsv" "$tmp/ho" 2>"$tmp/err" && [ "$(names "$tmp/ho" | wc -l)" -eq "$want" ] &&
	grep -q '^set xrange \[0.5:2.5\]$' "$tmp/ho/history-storm-mmap.gp"
ok $? "--history: a chart per bench and tracked metric ($want), x over the 2 runs"

# ---- bad input: exit 2, named, nothing written ----
bad() {	# bad DESC MESSAGE ARGS...
	desc=$1 msg=$2
	shift 2
	rm -rf "$tmp/out" && mkdir -p "$tmp/out"
	"$PLOT" "$@" >/dev/null 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq 2 ] && grep -q -- "$msg" "$tmp/err" && [ -z "$(ls -A "$tmp/out")" ]
	ok $? "$desc: exit 2, '$msg', no file"
}
head -c 5000 "$DEF" >"$tmp/cut.json"
bad "truncated JSON" "cut.json: not JSON" "$tmp/cut.json" "$tmp/out"
jq '.schema = "something/2"' "$DEF" >"$tmp/schema.json"
bad "another schema" 'not an mmapbench results file (schema "something/2"' "$tmp/schema.json" "$tmp/out"
jq '.cases |= map(.status = "skipped")' "$DEF" >"$tmp/none.json"
bad "no completed case" "no completed case to plot" "$tmp/none.json" "$tmp/out"
bad "no arguments" "want RESULTDIR"
bad "a NAME that is a path" "is not a file name" --compare "$tmp/cmp.json" "$tmp/out" a/b
printf 'seq\trun\n1\tx\n' >"$tmp/bad.tsv"
bad "a TSV that is not track --history's" "no column" --history "$tmp/bad.tsv" "$tmp/out"
