#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the parser fuzzers (TAP), in the trixie chroot:
#   tests/fuzz/run.sh [-t SECONDS_EACH] [-r RUNS_EACH] [-o REPORT] [FUZZER...]
# Each fuzzer stops after SECONDS_EACH or RUNS_EACH executions, whichever comes first.
# -o: the run's report, a TSV (one row per fuzzer: seconds, executions, cov, ft,
# crashes, corpus size; "#" lines say what ran), written whole or not at all.
# Each fuzzer (fuzz_results, fuzz_compare, fuzz_hfcheck, fuzz_index, fuzz_oracle,
# fuzz_perfcsv; default
# all) runs in one
# process, single job, from a corpus seeded with the committed result sets (trimmed:
# the full files are megabytes) and what earlier runs found, kept under
# build/fuzz-parsers/corpus/NAME.  One TAP line per fuzzer with its executions and
# libFuzzer's coverage (cov: edges, ft: features); a crash, leak or timeout is
# "not ok" with the reproducer's path.  Then the regression inputs under
# tests/fuzz/crashes/NAME/ are replayed: each must now run clean.
# Not fuzzed here: the readers still written in jq or awk (scripts/host/fold-oracle's perf
# CSV, scripts/host/plot's data): libFuzzer needs C.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/build/fuzz-parsers
secs=20 runs=-1 report=""
while getopts t:r:o: o; do
	case $o in
	t) secs=$OPTARG ;;
	r) runs=$OPTARG ;;
	o) report=$OPTARG ;;
	*) echo "usage: tests/fuzz/run.sh [-t SECONDS] [-r RUNS] [-o REPORT] [FUZZER...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
case $secs in ''|*[!0-9]*|0) echo "run.sh: -t wants seconds, not '$secs'" >&2; exit 2 ;; esac
case $runs in -1) ;; ''|*[!0-9]*|0) echo "run.sh: -r wants a number of runs, not '$runs'" >&2; exit 2 ;; esac
for fz in "$@"; do
	case $fz in
	fuzz_results|fuzz_compare|fuzz_hfcheck|fuzz_index|fuzz_oracle|fuzz_perfcsv) ;;
	*) echo "run.sh: no fuzzer '$fz' (fuzz_results fuzz_compare fuzz_hfcheck fuzz_index fuzz_oracle fuzz_perfcsv)" >&2
	   exit 2 ;;
	esac
done
[ $# -gt 0 ] || set -- fuzz_results fuzz_compare fuzz_hfcheck fuzz_index fuzz_oracle fuzz_perfcsv
n=0 bad=0
# Where each input is written for the reader to open (fuzzfile.h): a directory of this
# run's in memory when it can be (rewriting a file on ext4 halves the executions per
# second), else in TMPDIR.
scratch=$(mktemp -d /dev/shm/mbfuzz.XXXXXX 2>/dev/null || mktemp -d "${TMPDIR:-/tmp}/mbfuzz.XXXXXX") ||
	{ echo "run.sh: cannot make a scratch directory" >&2; exit 1; }
trap 'rm -rf "$scratch"' EXIT
tap() { n=$((n + 1)); [ "$1" = ok ] || bad=$((bad + 1)); echo "$1 $n - $2"; }

# The plan first: the build, one run per fuzzer, one replay per committed crash input.
planned=$((1 + $#))
for fz in "$@"; do
	for f in "$here"/crashes/"$fz"/*; do
		[ -f "$f" ] && planned=$((planned + 1))
	done
done
echo "1..$planned"

if [ -n "$report" ]; then
	rm -f "$report" "$report.tmp"
	{
		echo "# tests/fuzz/run.sh -t $secs -r $runs $*: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -n), $(nproc) cpus, $("${CLANG:-clang-19}" --version | head -1)"
		echo "# libFuzzer: one job, -max_len=16384 -rss_limit_mb=1024 -malloc_limit_mb=512 -timeout=10; ASan + UBSan; inputs via ${scratch%/*}"
		printf 'fuzzer\tseconds\texecutions\tcov\tft\tcrashes\tcorpus_files\tcorpus_bytes\texit\treproducer\n'
	} >"$report.tmp" || exit 1
fi
mkdir -p "$build"
if ! make -s -C "$here" BUILD="$build" >"$build.log" 2>&1; then
	tap "not ok" "the fuzzers build (clang-19 -fsanitize=fuzzer,address,undefined)"
	sed 's/^/# /' "$build.log" | head -20
	exit 1
fi
tap ok "the fuzzers build (clang-19 -fsanitize=fuzzer,address,undefined)"

# seed NAME DIR: the committed files the reader is for, small enough to mutate
seed() {
	case $1 in
	fuzz_results|fuzz_compare)
		for f in "$top"/tests/unit/data/*.json "$top"/results/*/results.json; do
			[ -f "$f" ] || continue
			# the first cases, a few samples each: every field the loader reads
			jq -c '.cases |= (.[:6] | map(if .metrics then .metrics |= map(
				if .samples then .samples |= .[:6] else . end) else . end))' "$f" \
				>"$2/seed-$(echo "$f" | md5sum | cut -c1-12).json" 2>/dev/null ||
				rm -f "$2/seed-$(echo "$f" | md5sum | cut -c1-12).json"
		done ;;
	fuzz_hfcheck)
		for f in "$top"/results/*/hyperfine/*/hyperfine.json "$top"/results/*/hyperfine/*/*/results.json \
			"$top"/results/*/hyperfine.json; do
			[ -f "$f" ] || continue
			jq -c 'if .cases then .cases |= map(if .metrics then .metrics |= map(
				if .samples then .samples |= .[:6] else . end) else . end) else . end' "$f" \
				>"$2/seed-$(echo "$f" | md5sum | cut -c1-12).json" 2>/dev/null
		done ;;
	fuzz_index)
		for f in "$top"/results/history/index.tsv; do
			[ -f "$f" ] && cp "$f" "$2/seed-index.tsv"
		done ;;
	fuzz_oracle)
		# the records real guests kept (20-26 KB): the header whole, of the trace
		# at most 4 lines per event name before, in and after the exec-to-exit
		# window (exec and do_exit always), "entries" fixed up to match
		for f in "$top"/results/*-oracle-*/oracle/*.record "$top"/tests/unit/data/oracle/*/*.record; do
			[ -f "$f" ] || continue
			awk 'FNR == 1 { t = 0 }
			NR == FNR {
				if (t && $0 !~ /^#/) {
					if ($5 == "sched_process_exec:") ph = 1
					if (ph == 1 && $5 == "do_exit:") ph = 2
					if (n[ph, $5]++ < 4 || $5 == "sched_process_exec:" || $5 == "do_exit:") {
						keep[FNR] = 1; kept++
					}
				} else if (t) keep[FNR] = 1
				if ($0 == "trace") t = 1
				next
			}
			!t && /^entries / { print "entries " kept; next }
			!t { print; if ($0 == "trace") t = 1; next }
			keep[FNR]' "$f" "$f" >"$2/seed-$(echo "$f" | md5sum | cut -c1-12).record"
		done ;;
	fuzz_perfcsv)
		# the perf stat CSVs real guests kept (a few hundred bytes each)
		for f in "$top"/results/*-oracle-*/perf/*.csv "$top"/tests/unit/data/fold/*/perf/*.csv; do
			[ -f "$f" ] && cp "$f" "$2/seed-$(echo "$f" | md5sum | cut -c1-12).csv"
		done ;;
	esac
}

for fz in "$@"; do
	c=$build/corpus/$fz a=$build/artifacts/$fz/ log=$build/$fz.log
	mkdir -p "$c" "$a"
	[ -n "$(ls "$c")" ] || seed "$fz" "$c"
	[ -n "$(ls "$c")" ] || echo "# $fz: no seed files found"
	# -rss_limit_mb: an unbounded allocation is a finding; -timeout: so is a hang
	t0=$(date +%s)
	TMPDIR=$scratch "$build/$fz" -max_total_time="$secs" -runs="$runs" -max_len=16384 \
		-rss_limit_mb=1024 -malloc_limit_mb=512 -timeout=10 -close_fd_mask=3 \
		-print_final_stats=1 -artifact_prefix="$a" "$c" >"$log" 2>&1 &
	wait $!
	rc=$?
	took=$(( $(date +%s) - t0 ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
	crash=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | head -1)
	if [ $rc -eq 0 ] && [ -z "$crash" ] && [ -n "$execs" ]; then
		tap ok "$fz: ${took}s, $execs executions, $cov, no crash"
	else
		tap "not ok" "$fz: ${took}s, ${execs:-?} executions, ${cov:-?}: exit $rc, reproducer ${crash:-none} (log $log)"
		grep -E 'ERROR|SUMMARY|runtime error|fails:' "$log" | head -5 | sed 's/^/#   /'
	fi
	[ -z "$report" ] || printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$fz" "$took" "${execs:-?}" \
		"$(echo "$cov" | sed -n 's/^cov: \([0-9]*\).*/\1/p')" "$(echo "$cov" | sed -n 's/.*ft: \([0-9]*\)$/\1/p')" \
		"$([ -n "$crash" ] && echo 1 || echo 0)" "$(ls "$c" | wc -l)" "$(cat "$c"/* 2>/dev/null | wc -c)" \
		"$rc" "${crash:+$(basename "$crash")}" >>"$report.tmp"
done

# Inputs that once crashed a reader: each must run clean now.
replay=""
for fz in "$@"; do
	for f in "$here"/crashes/"$fz"/*; do
		[ -f "$f" ] || continue
		if TMPDIR=$scratch "$build/$fz" -runs=1 "$f" >"$build/replay.log" 2>&1; then
			tap ok "$fz: tests/fuzz/crashes/$fz/$(basename "$f") runs clean"
			replay="$replay $fz/$(basename "$f"):clean"
		else
			tap "not ok" "$fz: tests/fuzz/crashes/$fz/$(basename "$f") runs clean"
			replay="$replay $fz/$(basename "$f"):FAILS"
			grep -E 'ERROR|SUMMARY|runtime error' "$build/replay.log" | head -5 | sed 's/^/#   /'
		fi
	done
done
if [ -n "$report" ]; then
	echo "# replayed from tests/fuzz/crashes:${replay:- none}" >>"$report.tmp" &&
		mv "$report.tmp" "$report" || exit 1
fi
[ $bad -eq 0 ]
