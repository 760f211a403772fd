#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_profile.sh - the profile's pieces (docs/profiles.md):
#  - the harness's side of perf record's control channel, against a stand-in for
#    perf that acks: one enable and one disable around every measured sample of
#    every case and nothing else, one window logged per sample and step;
#  - mmapbench-profile fold on a recorded perf script text (data/profile): samples
#    count for the case whose timed loop holds their time; a function the set-up
#    burns between the loops is in outside.folded, never in a case's profile;
#    perf's own mmap tracking is counted apart; report's format (LKP's lines),
#    the profile object, the flame graph; diff's total and rows; fold --first (a
#    window's first sample with the window's weight); a recording without call
#    chains (the frame on the sample's line);
#  - the same on a committed real run (6.12 under icount): the mmap step's
#    profile holds no munmap (before() and after() unmap), outside.folded does;
#    diff of its two committed profiles, and as a chart (diff --svg): a row per
#    line of the table, titled with its numbers;
#  - agree on a committed run's two boots (leaf frames, seeds 1 and 2): the same top 10
#    self functions but for a tie at place 10, shares within 1 pp: pass (exit 0); at
#    0.3 pp: fail (exit 3);
#  - period: twice the unprofiled run's longest timed loop; on a committed run made
#    with it (6.12 under icount, call chains), no window holds more than one sample
#    and the report says so; make profile's default (PERIOD=auto, a committed run):
#    each boot sampled at the period its unprofiled run gives.
# TAP.  Needs jq.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_profile.sh
set -u
export LC_ALL=C
bin=$(dirname "${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}")
MB=$bin/mmapbench
PROF=$bin/mmapbench-profile
top=$(cd "$(dirname "$0")/../.." && pwd)
data=$top/tests/unit/data/profile
REAL=$top/results/20261203T184717Z-profile-6.12.117+deb13/boot1/profile
CH=$top/results/20261204T185041Z-profile-chains-6.12.117+deb13
MX=$top/results/20261204T191711Z-matrix
TWO=$top/results/20261204T190907Z-profile-6.12.117+deb13
ONE=$top/results/20261204T211547Z-profile-onewin-6.12.117+deb13
AUTO=$top/results/20261204T212351Z-profile-6.12.117+deb13
. "$(dirname "$0")/lib.sh"

need jq
plan 63

# ---- the harness and a stand-in perf ----
mkfifo "$tmp/ctl" "$tmp/ack"
exec 8<>"$tmp/ctl" 9<>"$tmp/ack"
( while IFS= read -r l <&8; do
	[ "$l" = quit ] && break
	echo "$l" >>"$tmp/cmds"
	printf 'ack\n\0' >&9
  done ) &
resp=$!
run "$MB" run -q -b merge,storm -t anon -s 4k --map private --populate no --count 4 \
	--samples 3 --warmup 2 --perf-control 8,9 --perf-windows "$tmp/w.tsv" -o "$tmp/r.json"
ok $rc "mmapbench run --perf-control 8,9 --perf-windows runs against an acking perf"
echo quit >&8
wait $resp
exec 8>&- 9>&-
cases=$(jq '[.cases[] | select(.status == "ok")] | length' "$tmp/r.json")
en=$(grep -cx enable "$tmp/cmds")
dis=$(grep -cx disable "$tmp/cmds")
[ "$cases" -ge 2 ] && [ "$en" -eq $((cases * 3)) ]
ok $? "one enable per measured sample of each case ($en for $cases cases x 3; not warm-up, calibration, floor, overhead)"
[ "$dis" -eq "$en" ] && ! grep -vxE 'enable|disable' "$tmp/cmds" >/dev/null
ok $? "as many disables, nothing else sent"
awk '$1 == "enable" { if (on) bad = 1; on = 1 } $1 == "disable" { if (!on) bad = 1; on = 0 } END { exit bad || on }' "$tmp/cmds"
ok $? "enable and disable alternate, ending disabled"
steps=$(awk -F'\t' '$1 == "w" { print $2, $3 }' "$tmp/w.tsv" | sort -u | wc -l)
wcases=$(awk -F'\t' '$1 == "w" { print $2 }' "$tmp/w.tsv" | sort -u | wc -l)
[ "$wcases" -eq "$cases" ] && [ "$(grep -c '^w' "$tmp/w.tsv")" -eq $((steps * 3)) ]
ok $? "one window per measured sample and step of every case ($steps steps of $wcases cases, x 3)"
awk -F'\t' '$1 == "w" && ($4 > $5 || $6 < 1) { exit 1 } $1 == "w" && $4 < last { exit 1 } $1 == "w" { last = $5 }' "$tmp/w.tsv"
ok $? "windows are ordered and do not overlap, each with its ops"
[ ! -e "$tmp/w.tsv.tmp" ]
ok $? "the windows file is renamed into place"
run "$MB" run -q -b merge -t anon --perf-control 8
[ "$rc" = 2 ] && grep -q 'CTL,ACK' "$tmp/err"
ok $? "--perf-control 8: usage error (exit 2) naming CTL,ACK"
run "$MB" run -q -b merge -t anon --perf-control 40,41
[ "$rc" = 2 ] && grep -q 'not open' "$tmp/err"
ok $? "--perf-control on closed descriptors: usage error, says so"
run "$MB" run -q -b storm -t anon -s 4k --ops 10 --perf-windows "$tmp/x.tsv"
[ "$rc" = 2 ]
ok $? "--ops with --perf-windows: usage error"

# ---- fold, report, diff on recorded input ----
d=$tmp/set
mkdir -p "$d"
cp "$data/results.json" "$d/"
run "$PROF" fold -w "$data/windows.tsv" -r "$d/results.json" -o "$d/profiles" "$data/perf-script.txt"
ok $rc "fold a recorded perf script text"
A=merge-legacy-none-16384-shared-c64-t1.mmap.folded
B=merge-legacy-dontdump-16384-shared-c64-t1.mmap.folded
[ "$(awk -F'\t' -v f="$B" '$1 == f { print $5, $6, $7, $8, $12 }' "$d/profiles/index.tsv")" = "20 2 6 60000 10000" ]
ok $? "index: ops, windows, samples, weight, perf's own (excluded) of a case"
! grep -q setup_burner "$d/profiles/$A" "$d/profiles/$B" && grep -q '^setup_burner ' "$d/profiles/outside.folded"
ok $? "the set-up's setup_burner is in no case's profile, but in outside.folded"
! grep -q perf_event_mmap "$d/profiles/$B"
ok $? "perf_event_mmap (perf record's mmap tracking) is left out of the op"
grep -qx '__mmap64;entry_SYSCALL_64_after_hwframe;do_syscall_64;vm_mmap_pgoff;do_mmap;vma_merge_new_range 20000' "$d/profiles/$B"
ok $? "stacks folded root first, one user frame, offsets dropped, samples added up"
run "$PROF" report "$d"
ok $rc "report"
LKP='^perf-profile\.(self|children|calltrace)\.cycles-pp\.[A-Za-z0-9_.]+: [0-9]+\.[0-9][0-9]$'
check_report() {
	grep -vE "$LKP|^# .+|^$" "$1" >"$tmp/bad" && { echo "bad line: $(head -1 "$tmp/bad")" >&2; return 1; }
	grep -qE '^perf-profile\.self\.' "$1" || { echo "no self line" >&2; return 1; }
	awk -F': ' '/^# /{ if (s > 100.005) bad = 1; s = 0 } /^perf-profile.self/{ s += $2 } END { exit bad || s > 100.005 }' "$1" ||
		{ echo "self shares add up to more than 100" >&2; return 1; }
}
check_report "$d/profile.txt" 2>"$tmp/err"
ok $? "profile.txt: LKP's perf-profile lines only (under a # header per case), self shares <= 100"
sed 's/^perf-profile.self.cycles-pp.__mmap_region: /perf-profile.self.cycles-pp.__mmap_region = /' "$d/profile.txt" >"$tmp/doct"
check_report "$tmp/doct" 2>/dev/null
[ $? -ne 0 ]
ok $? "the format check fails on a doctored line"
grep -qx 'perf-profile.self.cycles-pp.vma_merge_new_range: 33.33' "$d/profile.txt" &&
	grep -qx 'perf-profile.calltrace.cycles-pp.__mmap64.entry_SYSCALL_64_after_hwframe.do_syscall_64: 83.33' "$d/profile.txt"
ok $? "self and calltrace shares as counted (vma_merge_new_range 2 of 6, the syscall 5 of 6)"
[ "$(jq '.cases[0].perf_profile.mmap | [.per_op, .profiler_per_op, .self[0].per_op, .samples] | map(floor | tostring) | join(" ")' -r "$d/results.json")" = "3000 500 1000 6" ]
ok $? "results.json: the case's perf_profile object (per op 3000 insn, perf's own 500, top self 1000)"
[ "$(jq -r '.cases[0].profile' "$d/results.json")" = dontdump ]
ok $? "results.json: the case's module profile (its 'profile') is left as it was"
grep -q '<svg' "$d/profiles/${B%.folded}.svg" && grep -q '<title>vma_merge_new_range: 1000 insn (33.33 %)</title>' "$d/profiles/${B%.folded}.svg"
ok $? "a flame graph per case, frames titled with cost per op"
run "$PROF" diff "$d/profiles/$A" "$d/profiles/$B"
echo "$out" | grep -qE '^ +2000\.0 +\+50\.0% +3000\.0 +\+1000\.0 .*\(total\)$'
ok $? "diff: the total, 2000 -> 3000 insn per op"
echo "$out" | awk '/\(total|\(perf record/ { next } $4 ~ /^[-+]/ { s += $4 } END { exit s != 1000 }'
ok $? "diff: the rows' deltas add up to the total's"
echo "$out" | grep -qE '^ +2000\.0 .* 3500\.0 +\+1500\.0 .*\(total with it'
ok $? "diff: perf's own mmap tracking on its own line, and the total with it (2000 -> 3500)"
# --first: per window its first sample (or perf's own) with all the window's weight
d1=$tmp/first
mkdir -p "$d1"
cp "$data/results.json" "$d1/"
run "$PROF" fold --first -w "$data/windows.tsv" -r "$d1/results.json" -o "$d1/profiles" "$data/perf-script.txt"
ok $rc "fold --first"
row() { awk -F'\t' -v f="$2" '$1 == f { print $7, $8, $12 }' "$1/index.tsv"; }
[ "$(row "$d1/profiles" "$B")" = "1 30000 40000" ] && [ "$(row "$d1/profiles" "$A")" = "2 40000 0" ]
ok $? "--first: one sample a window, with its window's weight (a window whose first is perf's own: all of it excluded)"
sum() { awk -F'\t' 'NR > 1 { s += $8 + $12 } END { print s }' "$1/index.tsv"; }
[ "$(sum "$d1/profiles")" = "$(sum "$d/profiles")" ]
ok $? "--first: the windows' weight, perf's own with it, is all samples' ($(sum "$d/profiles"))"
grep -qx '__mmap64;entry_SYSCALL_64_after_hwframe;do_syscall_64;vm_mmap_pgoff;do_mmap;vma_merge_new_range 30000' "$d1/profiles/$B"
ok $? "--first: the window's first stack carries the window (3 samples, 30000)"
grep -q 'windows held more than one' "$tmp/err"
ok $? "fold says how many windows held more than one sample"
# no call chains (perf record without -g): the one frame on the sample's line
printf '    4242 1.000005000:      10000  ffffffff81 vma_merge_new_range+0x1c ([kernel.kallsyms])\n    4242 1.000045000:      10000  4b38791398 __mmap64 (/opt/mmapbench/bin/mmapbench)\n' >"$tmp/nog.txt"
mkdir -p "$tmp/nog" && cp "$data/results.json" "$tmp/nog/"
run "$PROF" fold -w "$data/windows.tsv" -r "$tmp/nog/results.json" -o "$tmp/nog/p" "$tmp/nog.txt"
[ $rc = 0 ] && [ "$(cat "$tmp/nog/p/$B")" = "vma_merge_new_range 10000" ] && [ "$(cat "$tmp/nog/p/$A")" = "__mmap64 10000" ]
ok $? "no call chains: each sample its one frame, the next sample's line not taken for a frame"
run "$PROF" fold -w "$data/results.json" -r "$d/results.json" -o "$tmp/p2" "$data/perf-script.txt"
[ "$rc" = 1 ] && grep -q 'not a window line' "$tmp/err"
ok $? "fold: a bad windows file, exit 1 naming the line"
run "$PROF" report
[ "$rc" = 2 ]
ok $? "report without a directory: usage error"

# ---- a committed real run: 6.12 under icount ----
R_A=$REAL/profiles/merge-legacy-none-16384-shared-c64-t1.mmap.folded
R_B=$REAL/profiles/merge-legacy-dontdump-16384-shared-c64-t1.mmap.folded
[ -s "$R_A" ] && [ -s "$R_B" ]
ok $? "the committed run has both profiles"
! grep -qE '(__x64_sys_munmap|__vm_munmap);' "$R_A" "$R_B" && grep -qE '__x64_sys_munmap' "$REAL/profiles/outside.folded"
ok $? "real run: no munmap in the mmap step's profile; perf sampled it (before/after) outside the window"
grep -q ';vma_merge_new_range' "$R_B"
ok $? "real run: the merge is in the profile (vma_merge_new_range)"
check_report "$REAL/profile.txt" 2>"$tmp/err"
ok $? "real run: profile.txt in LKP's format"
rm -rf "$tmp/real" && cp -a "$REAL" "$tmp/real"
"$PROF" report "$tmp/real" >/dev/null 2>&1
awk -F'\t' 'NR > 1 { split($9, ev, /[:,]/); r = ev[2] / (($8 + $12) / $5); f = r - int(r)
	printf "# %s %s: .*; the period is %.2f ops%s$\n", $3, $4, r, (f < 0.1 || f > 0.9) ? " (near a multiple.*" : "\\( (a window.s later samples fall where the earlier chains put them: PERIOD=auto)\\)\\{0,1\\}" }' \
	"$REAL/profiles/index.tsv" >"$tmp/want"
while IFS= read -r re; do grep -qx -- "$re" "$tmp/real/profile.txt" || { echo "no line $re" >&2; false; }; done <"$tmp/want" 2>"$tmp/err"
ok $? "report: the period in ops of each case on its # line, a period near a multiple of the op said so, a chained one shorter than a window too"
run "$PROF" diff "$R_A" "$R_B"
ok $rc "diff of the two committed profiles"
ta=$(awk -F'\t' -v f="${R_A##*/}" '$1 == f { printf "%.1f", $8 * $11 / $5 }' "$REAL/profiles/index.tsv")
tb=$(awk -F'\t' -v f="${R_B##*/}" '$1 == f { printf "%.1f", $8 * $11 / $5 }' "$REAL/profiles/index.tsv")
echo "$out" | grep -qE "^ +$ta +[-+][0-9.]+% +$tb .*\(total\)$"
ok $? "diff's total is the index's weight per op of each side ($ta, $tb)"

# ---- a committed run's kept perf script texts (profile-run --keep-script): with and
# without call chains ----
for v in g nog; do
	rm -rf "$tmp/ch$v" && mkdir -p "$tmp/ch$v" && cp "$CH/$v/profile/results.json" "$tmp/ch$v/"
	gzip -dc "$CH/$v/profile/perf-script.txt.gz" >"$tmp/ch$v.txt"
done
"$PROF" fold -w "$CH/g/profile/windows.tsv" -r "$tmp/chg/results.json" -o "$tmp/chg/all" "$tmp/chg.txt" 2>/dev/null &&
	"$PROF" fold --first -w "$CH/g/profile/windows.tsv" -r "$tmp/chg/results.json" -o "$tmp/chg/first" "$tmp/chg.txt" 2>/dev/null &&
	[ "$(sum "$tmp/chg/first")" = "$(sum "$tmp/chg/all")" ] &&
	[ "$(awk -F'\t' 'NR > 1 { print $6 }' "$tmp/chg/first/index.tsv" | sort -u)" = 2000 ]
ok $? "real run, with chains: --first keeps the windows' weight, perf's own with it ($(sum "$tmp/chg/all"))"
kept=$(awk -F'\t' 'NR > 1 { s += $7 } END { print s }' "$tmp/chg/first/index.tsv")
excl=$(awk -F'\t' 'NR > 1 { s += $12 } END { print s }' "$tmp/chg/first/index.tsv")
[ "$kept" -gt 0 ] && [ "$excl" -gt 0 ] && [ "$kept" -le 4000 ]
ok $? "real run, with chains: --first, at most one sample a window ($kept of 4000 windows; the rest perf's own)"
"$PROF" fold -w "$CH/nog/profile/windows.tsv" -r "$tmp/chnog/results.json" -o "$tmp/chnog/p" "$tmp/chnog.txt" 2>/dev/null &&
	! cat "$tmp/chnog/p/"*.mmap.folded | grep -q ';' &&
	[ "$(awk -F'\t' 'NR > 1 { s += $7 } END { print s }' "$tmp/chnog/p/index.tsv")" -gt 10000 ]
ok $? "real run, no chains: every sample one frame, the samples all counted"

# ---- make matrix PROFILE=1 (a committed run): the profiled run beside each boot's ----
run "$bin/mmapbench-compare" "$MX/6.12.117+deb13" "$MX/6.12.117+deb13"
echo "$out" | grep -qE '^# base +1 run: '
ok $? "compare pools a boot's results.json, not its profile/results.json (1 run of 1 boot)"
run "$bin/mmapbench-report" "$MX"
echo "$out" | grep -q '^6.12.117+deb13: 1 boot(s), '
ok $? "so does the matrix report (1 boot)"

# ---- the diff as a chart ----
mkdir -p "$tmp/svg"
run "$PROF" diff --top 10 --svg "$tmp/svg" "$R_A" "$R_B"
svg=$tmp/svg/diff-${R_A##*/}
svg=${svg%.folded}--${R_B##*/}
svg=${svg%.folded}.svg
[ $rc = 0 ] && [ -s "$svg" ] && [ "$(ls -A "$tmp/svg")" = "${svg##*/}" ]
ok $? "diff --svg DIR: DIR/diff-A--B.svg, nothing else left"
head -2 "$svg" | grep -q '^<svg ' && [ "$(tail -1 "$svg")" = "</svg>" ] && [ "$(grep -c '^<g><title>' "$svg")" = 13 ]
ok $? "the chart: one row per table line (total, perf's own, 10 functions, the rest)"
echo "$out" | awk 'NR > 4 && NF && !/total with it|^chart: / { if ($NF == "functions)") print "(the other " $(NF-1) " functions)", $1; else if ($0 ~ /perf record/) print "(perf'"'"'s own mmap tracking, apart)", $4; else print $NF, $4 }' >"$tmp/t.rows"
sed -n 's/^<g><title>\(.*\): [-0-9.]* -> [-0-9.]* insn per op (\([-+][0-9.]*\),.*/\1 \2/p' "$svg" >"$tmp/s.rows"
[ -s "$tmp/s.rows" ] && diff "$tmp/t.rows" "$tmp/s.rows" >&2
ok $? "the chart's rows are the table's: the same functions in the same order, the same deltas"
grep -q "^<g><title>(total): $ta -> $tb insn per op" "$svg"
ok $? "the chart's total row: $ta -> $tb"
run "$PROF" diff --svg "$R_A" "$R_A" "$R_B"
[ "$rc" = 2 ]
ok $? "diff --svg on a file, not a directory: usage error"

# ---- agree: two boots' top 10 (a committed run, leaf frames, seeds 1 and 2) ----
run "$PROF" agree "$TWO/boot1/profile/profiles" "$TWO/boot2/profile/profiles"
[ "$rc" = 0 ] && echo "$out" | grep -q '^agree: 2 of 2 case steps pass'
ok $? "agree, two boots: both case steps pass (exit 0)"
echo "$out" | grep -qE '^ +10 +[0-9.]+ +12 +[0-9.]+ +[-+][0-9.]+ +[-+][0-9.]+  prepend_path  \(in A.s top 10 only: .*a tie' &&
	echo "$out" | grep -qE '^merge-legacy-dontdump-.* mmap: pass: the same functions but for ties at the boundary'
ok $? "agree: dontdump's 10th place (prepend_path, 12th in boot 2) is a tie within the boots' difference"
run "$PROF" agree --pp 0.3 "$TWO/boot1/profile/profiles" "$TWO/boot2/profile/profiles"
[ "$rc" = 3 ] && echo "$out" | grep -qE '^merge-legacy-none-.* mmap: FAIL: .*over 0.30 pp' &&
	echo "$out" | grep -q '^agree: 0 of 2 case steps pass'
ok $? "agree --pp 0.3: none's memset_orig (0.59 pp apart) and dontdump's do_mmap (0.35) fail it, exit 3"
run "$PROF" agree --top 0 "$TWO/boot1/profile/profiles" "$TWO/boot2/profile/profiles"
[ "$rc" = 2 ]
ok $? "agree --top 0: usage error"

# ---- period: at most one sample a window (a committed run: 6.12 under icount) ----
want=$(jq '[.cases[] | select(.status == "ok") | .metrics[] | select(.timing == "batch" or .timing == "each") | .stats.median * .batch] | max * 2 / 1000 | ceil * 1000' "$ONE/onewin/results.json")
run "$PROF" period "$ONE/onewin/results.json"
[ "$rc" = 0 ] && [ "$out" = "$want" ]
ok $? "period: twice the unprofiled run's longest timed loop, rounded up to 1000 ($want)"
run "$PROF" period --factor 0.5 "$ONE/onewin/results.json"
[ "$rc" = 2 ]
ok $? "period --factor 0.5: usage error (a period shorter than the window)"
echo '{"env": {"clock": "icount", "icount_shift": 0}, "cases": []}' >"$tmp/none.json"
run "$PROF" period "$tmp/none.json"
[ "$rc" = 1 ] && grep -q 'none.json: no ok case' "$tmp/err"
ok $? "period on a run without a timed case: exit 1, naming the file"
rm -rf "$tmp/one" && mkdir -p "$tmp/one" && cp "$ONE/onewin/profile/results.json" "$tmp/one/"
gzip -dc "$ONE/onewin/profile/perf-script.txt.gz" >"$tmp/one.txt"
run "$PROF" fold -w "$ONE/onewin/profile/windows.tsv" -r "$tmp/one/results.json" -o "$tmp/one/profiles" -e cpu-clock:600000 "$tmp/one.txt"
[ "$rc" = 0 ] && grep -q ' 0 windows held more than one ' "$tmp/err"
ok $? "real run at a period longer than every window: no window holds more than one sample"
cmp -s "$tmp/one/profiles/index.tsv" "$ONE/onewin/profile/profiles/index.tsv"
ok $? "folding its kept perf script again gives its committed index"
"$PROF" report "$tmp/one" >/dev/null 2>&1
[ "$(grep -c '^# merge-legacy-.* mmap: .*; the period is [0-9.]* ops, a window 64: at most one sample a window$' "$tmp/one/profile.txt")" = 2 ]
ok $? "report: each case's # line says at most one sample a window"
run "$PROF" fold --leaf -w "$ONE/onewin/profile/windows.tsv" -r "$tmp/one/results.json" -o "$tmp/one/leaf" -e cpu-clock:600000,leaf "$tmp/one.txt"
both() { awk -F'\t' 'NR > 1 { s += $8 + $12 } END { print s }' "$1/index.tsv"; }
[ "$rc" = 0 ] && ! cat "$tmp/one/leaf/"*.mmap.folded | grep -q ';' && [ "$(both "$tmp/one/leaf")" = "$(both "$tmp/one/profiles")" ]
ok $? "fold --leaf of a chained recording: one frame a stack, the windows' weight (perf's own with it) unchanged"
run "$PROF" agree "$ONE/leaf/profile/profiles" "$tmp/one/leaf"
echo "$out" | grep -qE '^merge-legacy-none-.* mmap: sum of z\^2 over the [0-9]+ functions with 40 samples or more: [0-9.]+ \(about [0-9]+ when' &&
	echo "$out" | grep -qE '^rank A +A% +rank B +B% +pp +z  function$'
ok $? "agree: a z per row and the sum of z^2 over the functions (leaf-only against chained at one sample a window)"
bad=0
for b in 1 2; do
	p=$("$PROF" period "$AUTO/boot$b/results.json" 2>/dev/null)
	[ -n "$p" ] && [ "$(awk -F'\t' 'NR > 1 { print $9 }' "$AUTO/boot$b/profile/profiles/index.tsv" | sort -u)" = "cpu-clock:$p" ] &&
		grep -q "^# .*; the period is [0-9.]* ops, a window 64: at most one sample a window$" "$AUTO/boot$b/profile/profile.txt" || bad=1
done
[ $bad = 0 ]
ok $? "make profile (PERIOD=auto): each boot sampled at the period of its unprofiled run, at most one sample a window"
