#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_plot.sh - scripts/host/plot on real result files (tests/unit/data, see its README):
# the charts of a run, --compare and --history exist as PNG and SVG; bad input fails
# with a clear message and a non-zero exit (2: input mmapbench-plot cannot use), and
# leaves no plots half-written.  The chart model itself: test_plot_model.sh.
# TAP.  Needs jq and gnuplot (the chroot has them): run by `make -C bench check`.
set -u
bin=$(cd "$(dirname "${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}")" && pwd)
PLOT=$(cd "$(dirname "$0")/../../scripts/host" && pwd)/plot
data=$(cd "$(dirname "$0")/data" && pwd)
A1=$data/storm-aa-1.json
A2=$data/storm-aa-2.json
. "$(dirname "$0")/lib.sh"
need jq gnuplot
plan 31
export MMAPBENCH_IN_CHROOT=1 MMAPBENCH_BIN="$bin"

# charts DIR NAME...: each NAME.png is a PNG and NAME.svg an SVG, both non-empty
charts() {
	d=$1
	shift
	for c in "$@"; do
		[ -s "$d/$c.png" ] && [ -s "$d/$c.svg" ] || { echo "# missing $d/$c.*"; return 1; }
		[ "$(head -c 8 "$d/$c.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
			{ echo "# $c.png is not a PNG"; return 1; }
		head -c 300 "$d/$c.svg" | grep -q '<svg' || { echo "# $c.svg is not an SVG"; return 1; }
	done
}
# only DIR N: DIR holds exactly N files, none of them temporary
only() {
	[ "$(ls -A "$1" | wc -l)" -eq "$2" ] && [ -z "$(ls -A "$1" | grep -E '\.(gp|tmp|size|err)|tmp\.')" ]
}

# ---- one run ----
mkdir -p "$tmp/def" "$tmp/mx"
cp "$data/default-trimmed.json" "$tmp/def/results.json"
cp "$data/matrix-7.3-boot1.json" "$tmp/mx/results.json"
run "$PLOT" "$tmp/def"
[ "$rc" -eq 0 ] && charts "$tmp/def/plots" latency-storm-mmap+munmap latency-storm-mmap \
	latency-storm-munmap storm-vs-size storm-vs-threads storm-vmas-vs-count fault-read-seq-cdf
ok $? "default suite (trimmed): latency bars, cost vs size, vs threads, vs VMAs, fault CDF"
only "$tmp/def/plots" 14 && [ -z "$(ls -A "$tmp/def" | grep tmp)" ]
ok $? "exactly those 14 files, no temporary file or directory left"
grep -q 'storm: mmap+munmap against mapping size' "$tmp/def/plots/storm-vs-size.svg" &&
	grep -q '7.3.4+deb13-amd64 · accel tcg · counter amd64-tsc' "$tmp/def/plots/storm-vs-size.svg" &&
	grep -q 'lower is better' "$tmp/def/plots/storm-vs-size.svg" &&
	grep -q 'higher is better' "$tmp/def/plots/storm-vs-threads.svg"
ok $? "titles name the kernel, accelerator and counter; y labels the better direction"
run "$PLOT" "$tmp/mx"
[ "$rc" -eq 0 ] && charts "$tmp/mx/plots" merge-rate merge-vmas latency-merge-mmap \
	latency-merge-munmap-range latency-storm-mmap+munmap latency-storm-mmap latency-storm-munmap &&
	only "$tmp/mx/plots" 14
ok $? "matrix boot: merge rate and VMAs per target and profile, latency per target"
grep -q 'legacy:special' "$tmp/mx/plots/merge-vmas.svg" && grep -q 'dontdump shared' "$tmp/mx/plots/latency-merge-mmap.svg"
ok $? "profiles appear as categories (merges) and as series (latency)"
touch "$tmp/mx/plots/stale.png"
run "$PLOT" "$tmp/mx"
[ "$rc" -eq 0 ] && [ ! -e "$tmp/mx/plots/stale.png" ] && only "$tmp/mx/plots" 14
ok $? "plots/ is replaced whole"

# ---- bad input ----
bad() {	# bad DESC STATUS MESSAGE ARGS...
	desc=$1 want=$2 msg=$3
	shift 3
	run "$PLOT" "$@"
	[ "$rc" -eq "$want" ] && grep -q -- "$msg" "$tmp/err"
	ok $? "$desc: exit $want, '$msg'"
}
bad "no arguments" 2 "usage: scripts/host/plot"
bad "two directories" 2 "usage: scripts/host/plot" "$tmp/def" "$tmp/mx"
bad "an unknown option" 2 "usage: scripts/host/plot" --frobnicate
bad "a missing directory" 1 "no such result directory" "$tmp/nosuch"
mkdir -p "$tmp/empty"
bad "a directory without results.json" 1 "has no results.json" "$tmp/empty"
mkdir -p "$tmp/cut/plots"
echo keep >"$tmp/cut/plots/old.png"
head -c 5000 "$A1" >"$tmp/cut/results.json"
bad "truncated JSON" 2 "results.json: not JSON" "$tmp/cut"
[ "$(cat "$tmp/cut/plots/old.png")" = keep ] && only "$tmp/cut/plots" 1 && only "$tmp/cut" 2
ok $? "after a failure the old plots/ is untouched and nothing else is left"
mkdir -p "$tmp/schema"
jq '.schema = "something/2"' "$A1" >"$tmp/schema/results.json"
bad "another schema" 2 "not an mmapbench results file" "$tmp/schema"
mkdir -p "$tmp/noneok"
jq '.cases |= map(.status = "skipped" | .reason = "test")' "$A1" >"$tmp/noneok/results.json"
bad "no completed case" 2 "no completed case to plot" "$tmp/noneok"
[ ! -e "$tmp/noneok/plots" ] && only "$tmp/noneok" 1
ok $? "and no plots/ appears"

# ---- --compare ----
run "$PLOT" --compare "$A1" "$A2" "$tmp/cmp"
[ "$rc" -eq 0 ] && charts "$tmp/cmp" compare && only "$tmp/cmp" 2
ok $? "--compare: OUTDIR/compare.png and .svg, nothing else"
grep -q 'storm memfd 4k prv t1: munmap' "$tmp/cmp/compare.svg" &&
	grep -q 'fewer than 6 runs a side' "$tmp/cmp/compare.svg"
ok $? "--compare: a row per metric, the warnings in the title"
run "$PLOT" --compare "$A1" "$A1,$A2" "$tmp/cmp" aa
[ "$rc" -eq 0 ] && charts "$tmp/cmp" aa compare && only "$tmp/cmp" 4
ok $? "--compare with a NAME and a comma list: OUTDIR/NAME.{png,svg} beside the others"
bad "--compare without OUTDIR" 2 "usage: scripts/host/plot" --compare "$A1" "$A2"
bad "--compare with a NAME that is a path" 2 "is not a file name" --compare "$A1" "$A2" "$tmp/cmp" a/b
bad "--compare of a missing BASE" 1 "mmapbench-compare failed:.*cannot read" --compare "$tmp/nosuch.json" "$A2" "$tmp/cmp2"
bad "--compare of a truncated PATCHED" 1 "not JSON" --compare "$A1" "$tmp/cut/results.json" "$tmp/cmp2"
only "$tmp/cmp2" 0 && only "$tmp/cmp" 4
ok $? "failed comparisons leave no file behind"

# ---- --history ----
ix=$tmp/hist/index.tsv
"$bin/mmapbench-track" --index "$ix" "$A1" >/dev/null 2>&1
"$bin/mmapbench-track" --index "$ix" "$A2" >/dev/null 2>&1
run "$PLOT" --history "$ix"
[ "$rc" -eq 0 ] && charts "$tmp/hist/plots" history-storm-mmap+munmap history-storm-mmap \
	history-storm-munmap "history-storm-mmap+munmap_ops_s" "history-storm-mmap+munmap_ops_s_thread" &&
	only "$tmp/hist/plots" 10 && only "$tmp/hist" 3
ok $? "--history: a chart per tracked metric in INDEX's directory, plots/"
grep -q '1\*' "$tmp/hist/plots/history-storm-mmap.svg" && grep -q 'anon private' "$tmp/hist/plots/history-storm-mmap.svg"
ok $? "--history: the baseline run is marked, one line per case"
run "$PLOT" --history "$ix" "$tmp/hout"
[ "$rc" -eq 0 ] && only "$tmp/hout" 10
ok $? "--history INDEX OUTDIR"
bad "--history of a missing index" 1 "no track index" --history "$tmp/nosuch.tsv"
printf 'something else\n' >"$tmp/bad.tsv"
bad "--history of a file that is no index" 1 "not a track index" --history "$tmp/bad.tsv" "$tmp/hbad"
cp "$A1" "$tmp/gone.json"
"$bin/mmapbench-track" --index "$tmp/h2/index.tsv" "$tmp/gone.json" >/dev/null 2>&1
rm "$tmp/gone.json"
bad "--history whose runs are gone" 1 "none of its 1 runs could be read" --history "$tmp/h2/index.tsv"
[ ! -e "$tmp/hbad" ] && only "$tmp/h2" 2
ok $? "failed history plots leave no directory behind"

[ "$failed" -eq 0 ]
