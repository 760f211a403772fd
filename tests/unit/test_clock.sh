#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_clock.sh - the clock end to end on this machine: mmapbench run under
# MMAPBENCH_CLOCK / --clock records env.clock and writes insn timings under icount;
# compare and track refuse to mix clocks; the icount verdict rests on boot medians
# (5 boots a side); plot labels insn axes.  Formats and counts, never timings.  TAP.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_clock.sh
set -u
export LC_ALL=C
MB=${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}
bin=$(dirname "$MB")
CMP=$bin/mmapbench-compare
TRK=$bin/mmapbench-track
PLOT=$(cd "$(dirname "$0")/../../scripts/host" && pwd)/plot
. "$(dirname "$0")/lib.sh"

need jq
plan 33
small="-b storm -t anon -s 4k --map private --populate no --threads 1,2 --samples 3 --warmup 0 -q"

# ---- the harness ----
# shellcheck disable=SC2086
run env MMAPBENCH_CLOCK=icount "$MB" run $small -o "$tmp/ic.json"
[ "$rc" -eq 0 ] && jq -e '.env.clock == "icount" and .env.icount_shift == 0 and
	.env.time_unit == "insn"' "$tmp/ic.json" >/dev/null
ok $? "MMAPBENCH_CLOCK=icount: env.clock icount, icount_shift 0, time_unit insn"
jq -e '(.env.randomize_va_space | type == "number") and
	.env.randomize_va_space == ($r | tonumber)' --arg r "$(cat /proc/sys/kernel/randomize_va_space)" \
	"$tmp/ic.json" >/dev/null
ok $? "env.randomize_va_space is this machine's kernel.randomize_va_space"
# what the boot could draw randomness from: the command line, RDRAND/RDSEED, QEMU's seed
jq -e --arg c "$(cat /proc/cmdline)" '.env.kernel_cmdline == $c' "$tmp/ic.json" >/dev/null
ok $? "env.kernel_cmdline is this machine's /proc/cmdline"
want=$(sed -n '/^flags/{p;q}' /proc/cpuinfo | tr ' \t' '\n\n' | grep -xE 'rdrand|rdseed' |
	jq -R . | jq -sc .)
jq -e --argjson w "$want" '.env.cpu_rng == $w' "$tmp/ic.json" >/dev/null
ok $? "env.cpu_rng lists the CPU's rdrand/rdseed flags as /proc/cpuinfo has them ($want)"
# shellcheck disable=SC2086
run env MMAPBENCH_CLOCK=icount MMAPBENCH_QEMU_SEED=7 "$MB" run $small -o "$tmp/seed.json"
[ "$rc" -eq 0 ] && jq -e '.env.qemu_seed == 7' "$tmp/seed.json" >/dev/null &&
	jq -e '.env.qemu_seed == null' "$tmp/ic.json" >/dev/null &&
	env MMAPBENCH_QEMU_SEED=host "$MB" run $small -o "$tmp/seedh.json" 2>/dev/null &&
	jq -e '.env.qemu_seed == "host"' "$tmp/seedh.json" >/dev/null
ok $? "env.qemu_seed: MMAPBENCH_QEMU_SEED as a number, host as a string, null when unset"
jq -e '[.cases[] | select(.status == "ok") | .metrics[]] | length > 0 and
	all(.unit != "ns") and any(.unit == "insn") and all(.name | test("ops/s") | not)' \
	"$tmp/ic.json" >/dev/null
ok $? "under icount every timing is insn and no ops/s metric is reported"
one="-b storm -t anon -s 4k --map private --populate no --samples 3 --warmup 0 --clock icount"
# shellcheck disable=SC2086
"$MB" run $one --threads 1,2 -o "$tmp/sum2.json" >"$tmp/sum2" 2>/dev/null &&
	"$MB" run $one --threads 1 -o "$tmp/sum1.json" >"$tmp/sum1" 2>/dev/null &&
	grep -q '^clock icount, t2 and up: .*not a parallel time' "$tmp/sum2" &&
	grep -q '^clock icount: timings are guest instructions' "$tmp/sum1" &&
	! grep -q 't2 and up' "$tmp/sum1"
ok $? "the icount summary says what a threaded figure is, only when there is one"
# shellcheck disable=SC2086
run env MMAPBENCH_CLOCK=icount MMAPBENCH_ICOUNT_SHIFT=3 "$MB" run $small -o "$tmp/ic3.json"
[ "$rc" -eq 0 ] && jq -e '.env.icount_shift == 3' "$tmp/ic3.json" >/dev/null
ok $? "MMAPBENCH_ICOUNT_SHIFT is recorded"
run "$MB" run -b storm -t anon -s 4k --map private --populate no --threads 1 --samples 3 \
	--warmup 0 --clock icount
printf '%s\n' "$out" | grep -q 'insn: lower is better' &&
	printf '%s\n' "$out" | grep -q 'instructions (icount)' && ! printf '%s\n' "$out" | grep -q ' ns  *lower'
ok $? "the summary says insn and instructions (icount), no ns rows"
# shellcheck disable=SC2086
run env MMAPBENCH_ACCEL=tcg "$MB" run $small -o "$tmp/tcg.json"
[ "$rc" -eq 0 ] && jq -e '.env.clock == "tcg" and .env.icount_shift == null and
	.env.time_unit == "ns" and any(.cases[].metrics[]; .unit == "ns") and
	any(.cases[].metrics[]; .name | test("ops/s"))' "$tmp/tcg.json" >/dev/null
ok $? "no MMAPBENCH_CLOCK: the clock is accel's (tcg), timings in ns, ops/s kept"
# shellcheck disable=SC2086
run "$MB" run $small -o "$tmp/bare.json"
[ "$rc" -eq 0 ] && jq -e '.env.clock == "bare"' "$tmp/bare.json" >/dev/null
ok $? "nothing set: clock bare"
for bad in auto sundial ICOUNT; do
	# shellcheck disable=SC2086
	run env MMAPBENCH_CLOCK=$bad "$MB" run $small
	[ "$rc" -eq 2 ] && grep -q "MMAPBENCH_CLOCK: '$bad' is not a clock" "$tmp/err"
	ok $? "MMAPBENCH_CLOCK=$bad: usage error, exit 2"
done
# shellcheck disable=SC2086
run "$MB" run $small --clock kvm2
[ "$rc" -eq 2 ] && grep -q "\-\-clock: 'kvm2' is not a clock" "$tmp/err"
ok $? "--clock kvm2: usage error, exit 2"

# ---- compare and track: no mixing ----
run "$CMP" "$tmp/ic.json" "$tmp/bare.json"
[ "$rc" -eq 2 ] && grep -q 'refused: the clocks differ (base: icount, patched: bare)' "$tmp/err" &&
	grep -q -- '--mixed-clocks' "$tmp/err" && [ -z "$out" ]
ok $? "compare icount against bare: refused, exit 2, says why and how to override"
run "$CMP" "$tmp/tcg.json" "$tmp/ic.json,$tmp/tcg.json"
[ "$rc" -eq 2 ] && grep -q 'patched: icount, tcg' "$tmp/err"
ok $? "compare with a mixed side: refused"
run "$CMP" --mixed-clocks "$tmp/ic.json" "$tmp/bare.json"
[ "$rc" -eq 0 ] && grep -q 'warning: the clocks differ' "$tmp/err" &&
	printf '%s\n' "$out" | grep -q '^# clock  *icount | bare'
ok $? "--mixed-clocks: compared, with a warning and both clocks in the header"
run "$TRK" --index "$tmp/ix.tsv" "$tmp/ic.json,$tmp/bare.json"
[ "$rc" -eq 2 ] && grep -q 'refused: its runs have different clocks' "$tmp/err" && [ ! -s "$tmp/ix.tsv" ]
ok $? "track of a set with two clocks: refused, nothing recorded"
run "$TRK" --index "$tmp/ix.tsv" "$tmp/tcg.json"
run "$TRK" --index "$tmp/ix.tsv" "$tmp/ic.json"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q 'environment: accel bare+icount' &&
	printf '%s\n' "$out" | grep -q 'baseline of its environment' &&
	[ "$(cut -f6 "$tmp/ix.tsv" | tail -n +2 | tr '\n' ' ')" = "tcg bare+icount " ]
ok $? "track: an icount run starts its own history line (accel bare+icount), not tcg's"

# ---- the verdict by boot ----
# boots: copies of ic.json whose every sample of storm t1 mmap is set to V
boot() {	# boot OUT V
	jq --argjson v "$2" '(.cases[] | select(.params.threads == 1) | .metrics[] |
		select(.name == "mmap") | .samples) |= map($v)' "$tmp/ic.json" >"$1"
}
mkdir -p "$tmp/b" "$tmp/p" "$tmp/a" "$tmp/p4" "$tmp/b4"
i=0
for v in 5000 5001 4999 5000.5 5000; do
	i=$((i + 1))
	mkdir -p "$tmp/b/$i" "$tmp/p/$i" "$tmp/a/$i"
	boot "$tmp/b/$i/results.json" "$v"
	boot "$tmp/p/$i/results.json" "$(echo "$v * 1.01" | bc)"
	boot "$tmp/a/$i/results.json" "$(echo "$v + 0.3" | bc)"
	if [ $i -le 4 ]; then
		mkdir -p "$tmp/b4/$i" "$tmp/p4/$i"
		cp "$tmp/b/$i/results.json" "$tmp/b4/$i/"
		cp "$tmp/p/$i/results.json" "$tmp/p4/$i/"
	fi
done
sel='.rows[] | select(.case == "storm anon 4k prv t1" and .metric == "mmap")'
run "$CMP" --json "$tmp/b" "$tmp/p"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -e ".method.by_boot == true and ($sel |
	.significant and .verdict == \"worse\" and .test == \"exact\" and (.p - 2 / 252 | fabs) < 1e-9)" >/dev/null
ok $? "icount, 5 boots a side, +1 %: flagged worse, p = 2/252 on the boot medians"
run "$CMP" --json "$tmp/b" "$tmp/a"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -e "[$sel] | length == 1 and all(.significant | not)" >/dev/null
ok $? "icount A/A, boots 0.006 % apart: not flagged"
run "$CMP" --json "$tmp/b4" "$tmp/p4"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -e "($sel | .significant | not) and
	any(.warnings[]; test(\"under 5 boots a side\"))" >/dev/null
ok $? "icount, 4 boots a side: no verdict, and a warning that says why"
run "$CMP" "$tmp/b" "$tmp/p"
printf '%s\n' "$out" | grep -q '^# clock icount: timings in instructions (icount)'
ok $? "the text header says instructions (icount)"
printf '%s\n' "$out" | grep -q '^# &: threads > 1: ' &&
	printf '%s\n' "$out" | awk '/^storm anon 4k prv t/ { t = $NF } t == "t2" && / mmap( ~)? &$/ { a = 1 }
		t == "t1" && / &$/ { b = 1 } END { exit !(a && !b) }'
ok $? "compare marks the threads > 1 rows & (one virtual clock), no t1 row, with a legend"
run "$CMP" --markdown "$tmp/b" "$tmp/p"
printf '%s\n' "$out" | grep -q '^| clock | icount | icount |' &&
	printf '%s\n' "$out" | grep -q 'Clock icount: timings are instructions (icount)'
ok $? "the Markdown table names the clock and the unit"

# ---- mmapbench-trust tally of by-boot comparisons ----
TRUST=$bin/mmapbench-trust
"$CMP" --json "$tmp/b" "$tmp/a" >"$tmp/aa.json" 2>/dev/null
"$CMP" --json "$tmp/b" "$tmp/p" >"$tmp/l1.json" 2>/dev/null
run "$TRUST" tally --json -l aa "$tmp/aa.json" -l 1 "$tmp/l1.json"
ninsn=$(jq '[.rows[] | select(.unit == "insn")] | length' "$tmp/aa.json")
[ "$rc" -eq 0 ] && [ "$ninsn" -gt 0 ] && printf '%s\n' "$out" | jq -e --argjson k "$ninsn" '
	all(.groups[]; .by_boot_pairs == 1 and .timed_rows == $k) and
	.groups[0].timed_rows_flagged == 0 and .groups[1].timed_rows_flagged >= 1' >/dev/null
ok $? "tally: insn rows are timed rows (A/A none flagged, +1 % flagged), comparisons by boot"
run "$TRUST" tally -l aa "$tmp/aa.json"
printf '%s\n' "$out" | grep -q 'clock icount, by boot' &&
	! printf '%s\n' "$out" | grep -q 'p < 0.05'
ok $? "tally text: the by-boot rule in the header, not the samples' p < 0.05"
run "$TRUST" cv --json "$tmp/b"
nthr=$(jq '[.cases[] | select(.params.threads > 1) | .metrics[] | select(.unit == "insn")] | length' \
	"$tmp/ic.json")
[ "$rc" -eq 0 ] && [ "$nthr" -gt 0 ] && printf '%s\n' "$out" | jq -e --argjson k "$nthr" '
	.rows_threaded == $k and .rows_threaded_cv_le_0_5 + .rows_threaded_cv_gt_2 <= $k' >/dev/null &&
	"$TRUST" cv "$tmp/b" | grep -q '^one thread: .* threads > 1: '
ok $? "cv: the rows of threads > 1 counted apart ($nthr in this set), in JSON and text"
# a bimodal side: two boots at 5000, three at 5300 against the same again
mkdir -p "$tmp/m1" "$tmp/m2"
i=0
for v in 5000 5300 5000 5300 5300 5300 5000 5300 5000 5300; do
	i=$((i + 1))
	d=$tmp/m$(( (i - 1) / 5 + 1 ))/$i
	mkdir -p "$d" && boot "$d/results.json" "$v"
done
"$CMP" --json "$tmp/m1" "$tmp/m2" >"$tmp/mm.json" 2>/dev/null
run "$TRUST" tally --json -l aa "$tmp/mm.json"
[ "$rc" -eq 0 ] && jq -e "$sel | .bimodal and (.significant | not)" "$tmp/mm.json" >/dev/null &&
	printf '%s\n' "$out" | jq -e '.groups[0].bimodal_rows >= 1 and
	.groups[0].bimodal_rows_flagged == 0 and
	any(.rows[]; .case == "storm anon 4k prv t1" and .metric == "mmap" and .bimodal == 1)' >/dev/null
ok $? "a bimodal row (modes 6 % apart, drawn alike on both sides): marked, not flagged, counted by tally"
jq -e 'any(.warnings[]; test("^[0-9]+ rows? bimodal \\(~\\) and not flagged: a change smaller than the gap"))' \
	"$tmp/mm.json" >/dev/null && ! jq -e 'any(.warnings[]; test("bimodal"))' "$tmp/l1.json" >/dev/null
ok $? "compare warns that a change can hide in bimodal rows, only where there are some"
# the other side with ASLR off (env.randomize_va_space 0), this side as this machine has it
mkdir -p "$tmp/o"
for i in 1 2 3 4 5; do
	mkdir -p "$tmp/o/$i"
	jq '.env.randomize_va_space = 0' "$tmp/a/$i/results.json" >"$tmp/o/$i/results.json"
	jq '.env.randomize_va_space = 2' "$tmp/b/$i/results.json" >"$tmp/b/$i/r.json" &&
		mv "$tmp/b/$i/r.json" "$tmp/b/$i/results.json"
done
run "$CMP" --json "$tmp/b" "$tmp/o"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -e '.base.aslr == ["on"] and .patched.aslr == ["off"] and
	any(.warnings[]; test("different ASLR \\(base: on, patched: off\\)"))' >/dev/null &&
	"$CMP" --json "$tmp/b" "$tmp/b" 2>/dev/null | jq -e 'all(.warnings[]; test("ASLR") | not)' >/dev/null
ok $? "compare names each side's ASLR and warns when they differ, not when they agree"

# ---- plot ----
if command -v gnuplot >/dev/null 2>&1; then
	mkdir -p "$tmp/pl" && cp "$tmp/ic.json" "$tmp/pl/results.json"
	run "$PLOT" "$tmp/pl"
	[ "$rc" -eq 0 ] && grep -q 'instructions (icount) per mmap+munmap pair' "$tmp/pl/plots/storm-vs-threads.svg" &&
		grep -q 'clock icount' "$tmp/pl/plots/latency-storm-mmap.svg" &&
		! grep -q 'ns per' "$tmp/pl/plots/latency-storm-mmap.svg"
	ok $? "plot of an icount run: axes in instructions (icount), the clock in the subtitle"
else
	skip "plot of an icount run" "needs gnuplot (run in the chroot)"
fi
[ "$n" -eq 33 ] || echo "# ran $n claims, planned 33"
[ "$failed" -eq 0 ]
