#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The glue's contracts: tap-summary's arithmetic, and bad arguments to every script
# exit 2 with a usage line (no downloads, no guests).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/host/lib.sh"
plan 121

ts=$top/tests/tap-summary
printf '1..4\nok 1 - a\nnot ok 2 - b\n# why\nok 3 - c # SKIP x\nok 4 - d\n' >"$tmp/a.tap"
printf 'ok 1 - a\n' >"$tmp/noplan.tap"
printf '1..3\nok 1 - a\nok 2 - b\n' >"$tmp/short.tap"
printf '1..1\nok 1 - a\n# exit status 139\n' >"$tmp/crash.tap"
printf '1..2\nok 1 - a\nok 2 - b\n# exit status 0\n' >"$tmp/good.tap"
printf '1..0 # SKIP no kernels yet\n# exit status 0\n' >"$tmp/allskip.tap"
printf 'ok 1 - a\nok 2 - b\n1..2\n# exit status 0\n' >"$tmp/late.tap"
is "tap-summary: pass, fail and skip are counted" "2 passed, 1 failed, 1 skipped" "$("$ts" "$tmp/a.tap" | tail -1)"
is "tap-summary: a failure's diagnostics follow it" "$tmp/a.tap:   # why" "$("$ts" "$tmp/a.tap" | sed -n 2p)"
is "tap-summary: a stream without a plan is a failure" "1 passed, 1 failed, 0 skipped" "$("$ts" "$tmp/noplan.tap" | tail -1)"
is "tap-summary: a plan larger than the run is a failure" "2 passed, 1 failed, 0 skipped" "$("$ts" "$tmp/short.tap" | tail -1)"
is "tap-summary: a plan after the tests is a failure" "2 passed, 1 failed, 0 skipped" "$("$ts" "$tmp/late.tap" | tail -1)"
is "tap-summary: ... and says so" "not ok - $tmp/late.tap: the plan comes after the tests (declare it first)" \
	"$("$ts" "$tmp/late.tap" | head -1)"
is "tap-summary: a non-zero exit with no failed test is a failure" "1 passed, 1 failed, 0 skipped" "$("$ts" "$tmp/crash.tap" | tail -1)"
is "tap-summary: a file skipped whole counts as one skip" "2 passed, 0 failed, 1 skipped" "$("$ts" "$tmp/good.tap" "$tmp/allskip.tap" | tail -1)"
is "tap-summary: a skipped file's reason is printed" "$tmp/allskip.tap: skipped: no kernels yet" "$("$ts" "$tmp/allskip.tap" | head -1)"
"$ts" "$tmp/good.tap" >/dev/null; is "tap-summary: exit 0 when all passed" 0 $?
"$ts" "$tmp/a.tap" >/dev/null; is "tap-summary: exit 1 on a failure" 1 $?

exits "qemu/boot without arguments: usage, exit 2" 2 'usage: scripts/qemu/boot' "$top/scripts/qemu/boot"
exits "qemu/boot with a missing job file: exit 2" 2 "job file '/nonexistent' does not exist" \
	"$top/scripts/qemu/boot" -k 7.3 -j /nonexistent -o "$tmp/o"
exits "qemu/boot with a bad timeout: exit 2" 2 'timeout must be a positive number' \
	"$top/scripts/qemu/boot" -k 7.3 -j "$tmp/good.tap" -o "$tmp/o" -t 0
exits "qemu/boot with an unknown option: exit 2" 2 usage "$top/scripts/qemu/boot" -x
exits "qemu/boot with a malformed MMAPBENCH_CPU: exit 2" 2 'MMAPBENCH_CPU must be a QEMU CPU model' \
	env MMAPBENCH_CPU='max;reboot' "$top/scripts/qemu/boot" -k 7.3 -j "$tmp/good.tap" -o "$tmp/o"
exits "qemu/boot with a malformed MMAPBENCH_QEMU: exit 2" 2 'MMAPBENCH_QEMU must be host or a Debian suite' \
	env MMAPBENCH_QEMU='../x' "$top/scripts/qemu/boot" -k 7.3 -j "$tmp/good.tap" -o "$tmp/o"
exits "build/qemu without a verb: usage, exit 2" 2 'usage: scripts/build/qemu' "$top/scripts/build/qemu"
exits "build/qemu root with a malformed suite: exit 2" 2 'SUITE must be a Debian suite name' \
	"$top/scripts/build/qemu" root 'tri xie'
exits "build/qemu run without --: usage, exit 2" 2 'usage: scripts/build/qemu' "$top/scripts/build/qemu" run "$tmp" "$tmp"
# mb_panic_cause on real consoles: the 6.12 double fault of make check (EFLAGS 19fe07c2: VM
# and bits 22-31 set in kernel mode) names the emulator; an ordinary oops names nothing.
. "$top/scripts/lib.sh"
df_console=$top/results/20261204T203828Z-check-6.12-t_fuzz-double-fault/console.log
is "mb_panic_cause: EFLAGS with VM set in a kernel oops names QEMU's TCG" \
	"; cause: EFLAGS 19fe07c2 in kernel mode (VM or reserved bits set): QEMU TCG corrupted it" \
	"$(mb_panic_cause "$df_console" | sed 's/ (docs.*//')"
sed 's/EFLAGS: 19fe07c2/EFLAGS: 00010246/' "$df_console" >"$tmp/oops-ok.log"
is "mb_panic_cause: an oops with possible EFLAGS (00010246) names no cause" "" "$(mb_panic_cause "$tmp/oops-ok.log")"
{ cat "$df_console"; echo 'mmapbench-guest: cx16probe: rounds=1000 cf_lost=1000 system_flags=1000 verdict=broken'; } >"$tmp/oops-probe.log"
is "mb_panic_cause: ... and adds what the guest's cx16probe found" 1 \
	"$(mb_panic_cause "$tmp/oops-probe.log" | grep -c 'cx16probe found this emulator broken')"
# cx16probe on this machine's CPU (not an emulator): the flags survive.
if [ -x "$top/build/tools/cx16probe" ]; then
	is "cx16probe on the host's CPU: verdict ok, nothing lost" \
		"cx16probe: rounds=100000 cf_lost=0 system_flags=0 gp_faults=0 verdict=ok" "$("$top/build/tools/cx16probe" -n 100000)"
	exits "cx16probe -n 0: usage, exit 2" 2 'usage: cx16probe' "$top/build/tools/cx16probe" -n 0
else
	skip "cx16probe on the host's CPU" "build/tools/cx16probe not built"
	skip "cx16probe -n 0" "build/tools/cx16probe not built"
fi
exits "qemu/boot refuses an existing output directory: exit 2" 2 'already exists' \
	"$top/scripts/qemu/boot" -k 7.3 -j "$tmp/good.tap" -o "$tmp"
exits "bench with a stray argument: exit 2" 2 usage "$top/scripts/host/bench" stray
exits "bench with a bad suite name: exit 2" 2 'suite name' "$top/scripts/host/bench" -s 'a b'
exits "kernel with a malformed KERNEL: exit 2" 2 'KERNEL must look like' "$top/scripts/build/kernel" resolve banana
exits "kernel without a verb: exit 2" 2 usage "$top/scripts/build/kernel"
exits "chroot without a verb: exit 2" 2 usage "$top/scripts/build/chroot"
exits "check with a non-kernel argument: exit 2" 2 "is not a kernel" "$top/scripts/host/check" banana
exits "run-suite with an unknown argument: exit 2" 2 "unknown argument" "$top/scripts/guest/run-suite" --bogus
# plot's host side: arguments and paths are checked before the chroot is entered
exits "plot without arguments: exit 2" 2 'usage: scripts/host/plot' "$top/scripts/host/plot"
exits "plot --compare without OUTDIR: exit 2" 2 'usage: scripts/host/plot' "$top/scripts/host/plot" --compare a b
exits "plot of a missing directory: exit 1" 1 'no such result directory' "$top/scripts/host/plot" "$tmp/nosuch"
exits "plot of a directory outside the repository: exit 1" 1 'inside the repository' "$top/scripts/host/plot" "$tmp"
exits "plot --compare of a missing BASE: exit 1" 1 'no such file or directory: /nonexistent' \
	"$top/scripts/host/plot" --compare /nonexistent "$top/tests/unit/data/storm-aa-2.json" "$tmp/o"
exits "plot --history of a missing index: exit 1" 1 'no track index' "$top/scripts/host/plot" --history "$tmp/ix.tsv"
exits "fold-oracle without arguments: exit 2" 2 usage "$top/scripts/host/fold-oracle"
exits "fold-oracle on a directory without results: exit 1" 1 "no results file" \
	"$top/scripts/host/fold-oracle" "$tmp"

# The oracle's counts folded into results.json: the committed matrix reports the same,
# byte for byte, from the folded files alone (its oracle/ directories moved away).
set0=$top/results/20261124T082207Z-matrix
rep=$top/build/bench/mmapbench-report
if [ -x "$rep" ] && [ -d "$set0" ]; then
	f=$top/build/tmp-fold.$$
	rm -rf "$f" && cp -r "$set0" "$f"
	ok=0
	for b in "$f"/*/boot*; do
		"$top/scripts/host/fold-oracle" "$b" >/dev/null 2>&1 || ok=1
		mv "$b/oracle" "$b/oracle.moved"
	done
	is "fold-oracle: every boot of the committed matrix folds" 0 "$ok"
	is "fold-oracle: the report from results.json alone is byte-identical" \
		"$(cat "$set0/report.txt")" "$("$rep" "$f" 2>&1)"
	is "fold-oracle: every run's oracles agree (16 - merged = userspace VMAs)" true \
		"$("$top/scripts/build/chroot" run sh -c "cat build/tmp-fold.$$/*/boot*/results.json |
			jq -s 'map(.oracle.runs[]) | length > 0 and all(.agree == true)'" 2>&1)"
	# The header is the data's: 32 chunks of 8 KiB where the files say so.
	"$top/scripts/build/chroot" run sh -c "for r in build/tmp-fold.$$/6.12*/boot*/results.json; do
		jq '.cases |= map(if .bench == \"merge\" then .params.count = 32 | .params.size = 8192 else . end)' \
			\$r >\$r.new && mv \$r.new \$r; done" >/dev/null 2>&1
	is "mmapbench-report: the header says what the files mapped (count 32, size 8192)" \
		"merge: 32 chunks of 8 KiB from one fd, MAP_SHARED, ascending; lower is better" \
		"$("$rep" "$f" 2>&1 | head -1)"
	rm -rf "$f"
else
	for c in "every boot folds" "the report is byte-identical" "every run's oracles agree" \
		"the report's header is the data's"; do
		n=$((n + 1)); echo "not ok $n - fold-oracle on the committed matrix: $c: no $rep or $set0 (make userland)"
	done
fi

exits "run-suite --out without a directory: exit 2" 2 "usage: run-suite" "$top/scripts/guest/run-suite" --out
exits "bench with a bad timeout: exit 2" 2 'timeout must be a positive number' "$top/scripts/host/bench" -t abc
exits "check with an option: exit 2, usage" 2 'usage: scripts/host/check' "$top/scripts/host/check" -h
exits "kernel resolve without a SPEC: exit 2" 2 'usage: scripts/build/kernel resolve SPEC' "$top/scripts/build/kernel" resolve
exits "kernel fetch-image with two ABIs: exit 2" 2 'usage: scripts/build/kernel fetch-image ABI' "$top/scripts/build/kernel" fetch-image a b
exits "chroot headers without an ABI: exit 2" 2 'usage: scripts/build/chroot headers ABI' "$top/scripts/build/chroot" headers
exits "chroot run without a command: exit 2" 2 'usage: scripts/build/chroot run CMD' "$top/scripts/build/chroot" run
exits "matrix with a stray argument: exit 2" 2 'usage: scripts/host/matrix' "$top/scripts/host/matrix" stray
exits "matrix with a bad BOOTS: exit 2" 2 "BOOTS must be 1..99, not 'abc'" "$top/scripts/host/matrix" -n abc
exits "profile with a bad PERIOD: exit 2" 2 "PERIOD must be auto or a positive number of ns, not 'abc'" "$top/scripts/host/profile" -p abc
exits "fuzz with an unknown option: exit 2" 2 'usage: scripts/host/fuzz' "$top/scripts/host/fuzz" --bogus
exits "fuzz with a bad OPS: exit 2" 2 "OPS must be a positive number, not '0'" "$top/scripts/host/fuzz" -n 0
exits "fuzz with a bad SEED: exit 2" 2 "SEED must be a number, not 'x'" "$top/scripts/host/fuzz" -s x
exits "fuzz with a bad STRESS_SECONDS: exit 2" 2 "STRESS_SECONDS must be a positive number" "$top/scripts/host/fuzz" -S 0
exits "fuzz with a bad TIMEOUT: exit 2" 2 "TIMEOUT must be a positive number of seconds, not 'abc'" \
	"$top/scripts/host/fuzz" -t abc
exits "fuzz with a non-kernel: exit 2" 2 "'banana' is not a kernel" "$top/scripts/host/fuzz" banana
exits "fuzz --debug with a kernel: exit 2" 2 'takes no KERNEL' "$top/scripts/host/fuzz" --debug 7.3
exits "fuzz-parsers with an unknown option: exit 2" 2 'usage: scripts/host/fuzz-parsers' \
	"$top/scripts/host/fuzz-parsers" --bogus
exits "fuzz-parsers -t without SECONDS: exit 2" 2 'usage: scripts/host/fuzz-parsers' "$top/scripts/host/fuzz-parsers" -t
exits "fuzz/run.sh with 0 seconds: exit 2" 2 "wants seconds, not '0'" sh "$top/tests/fuzz/run.sh" -t 0
exits "fuzz/run.sh with a bad RUNS: exit 2" 2 "wants a number of runs, not 'x'" sh "$top/tests/fuzz/run.sh" -r x
exits "fuzz/run.sh with an unknown fuzzer: exit 2" 2 "no fuzzer 'fuzz_banana'" sh "$top/tests/fuzz/run.sh" fuzz_banana
exits "debug-kernel without a verb: exit 2" 2 'usage: scripts/build/debug-kernel' "$top/scripts/build/debug-kernel"
exits "debug-kernel with a stray argument: exit 2" 2 'usage: scripts/build/debug-kernel' "$top/scripts/build/debug-kernel" build extra
exits "oracle without a command: exit 2" 2 'usage: scripts/guest/oracle' "$top/scripts/guest/oracle"
exits "oracle count with an unknown option: exit 2" 2 "unknown option '-x'" "$top/scripts/guest/oracle" count -x -- true
exits "plot with an unknown option: exit 2, usage" 2 'usage: scripts/host/plot' "$top/scripts/host/plot" --bogus
exits "report with an option: exit 2, usage" 2 'usage: scripts/host/report' "$top/scripts/host/report" --bogus
exits "fold-oracle with an option: exit 2, usage" 2 'usage: scripts/host/fold-oracle' "$top/scripts/host/fold-oracle" -h
exits "qemu/boot -P with a stray argument: exit 2" 2 'usage: scripts/qemu/boot' "$top/scripts/qemu/boot" -k 7.3 -P extra
exits "qemu/boot with a bad MMAPBENCH_SEED: exit 2" 2 "MMAPBENCH_SEED must be a number or host, not 'x'" \
	env MMAPBENCH_SEED=x "$top/scripts/qemu/boot" -k 7.3 -j "$tmp/good.tap" -o "$tmp/o"
exits "qemu/boot with MMAPBENCH_SEED=boot: exit 2, that is for boots|aa|sensitivity" 2 \
	"MMAPBENCH_SEED=boot is for make boots" \
	env MMAPBENCH_SEED=boot "$top/scripts/qemu/boot" -k 7.3 -j "$tmp/good.tap" -o "$tmp/o"
exits "boots with a bad MMAPBENCH_SEED: exit 2" 2 "MMAPBENCH_SEED must be a number, host or boot, not '-1'" \
	env MMAPBENCH_SEED=-1 "$top/scripts/host/boots"
exits "aa-boots with a bad MMAPBENCH_SEED: exit 2" 2 "MMAPBENCH_SEED must be a number, host or boot, not 'x'" \
	env MMAPBENCH_SEED=x "$top/scripts/host/aa-boots" -k 7.3 -o "$tmp/aa-o"
# mb_job_cpio: the job's cpio, the same bytes for the same files whatever their inodes
# and mtimes (an icount boot unpacks it: docs/clocks.md)
mkdir -p "$tmp/j1" "$tmp/j2" "$tmp/j3"
printf 'run-suite --out /out\n' >"$tmp/j1/job"; printf 'A=1\n' >"$tmp/j1/job.env"
cp "$tmp/j1/job" "$tmp/j1/job.env" "$tmp/j2/"; touch -d @86400 "$tmp/j2/job"
cp "$tmp/j1/job" "$tmp/j3/"; printf 'A=2\n' >"$tmp/j3/job.env"
( . "$top/scripts/lib.sh"; mb_job_cpio "$tmp/j1" job job.env >"$tmp/j1.cpio"
  mb_job_cpio "$tmp/j2" job job.env >"$tmp/j2.cpio"; mb_job_cpio "$tmp/j3" job job.env >"$tmp/j3.cpio" )
is "mb_job_cpio: the same files, other mtimes and inodes: the same bytes" same \
	"$(cmp -s "$tmp/j1.cpio" "$tmp/j2.cpio" && echo same || echo differ)"
is "mb_job_cpio: other contents: other bytes" differ \
	"$(cmp -s "$tmp/j1.cpio" "$tmp/j3.cpio" && echo same || echo differ)"
is "mb_job_cpio: newc, 4-byte aligned, the files and a trailer in it" "070701 0 1 1 1" \
	"$(head -c 6 "$tmp/j1.cpio") $(($(stat -c %s "$tmp/j1.cpio") % 4)) $(grep -c 'run-suite --out /out' "$tmp/j1.cpio") $(grep -ac 'A=1' "$tmp/j1.cpio") $(grep -ac 'TRAILER!!!' "$tmp/j1.cpio")"
bb=$("$top/scripts/build/chroot" path 2>/dev/null)/usr/bin/busybox
if [ -x "$bb" ]; then
	is "mb_job_cpio: busybox cpio lists it: job, job.env" "job job.env" \
		"$("$bb" cpio -t <"$tmp/j1.cpio" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
else
	n=$((n + 1)); echo "ok $n - mb_job_cpio: busybox cpio lists it # SKIP no chroot busybox"
fi
exits "build/mkinitramfs without arguments: exit 2, usage" 2 'usage: scripts/build/mkinitramfs' \
	"$top/scripts/build/mkinitramfs"
# The image's analysis aliases are links to the one binary, as in build/bench.
if [ -x "$top/build/bench/mmapbench-analyze" ]; then
	img=build/tmp-img.$$
	mkdir -p "$top/$img" && : >"$top/$img/fake.ko"
	list=$("$top/scripts/build/chroot" run sh -c "MMAPBENCH_GUEST_PERF=0 scripts/build/mkinitramfs \
		$img/fake.ko $img/i.cpio.gz && zcat $img/i.cpio.gz | cpio -itv --quiet" 2>&1)
	rm -rf "${top:?}/$img"
	is "guest image: mmapbench-analyze is a file" "-" \
		"$(printf '%s\n' "$list" | awk '$NF == "opt/mmapbench/bin/mmapbench-analyze" { print substr($1, 1, 1) }')"
	is "guest image: its aliases are links to it" \
		"mmapbench-compare mmapbench-export mmapbench-hfcheck mmapbench-profile mmapbench-trust mmapbench-xcheck" \
		"$(printf '%s\n' "$list" | awk '$(NF - 2) ~ "^opt/mmapbench/bin/mmapbench-" && $(NF - 1) == "->" &&
			$NF == "mmapbench-analyze" { sub(".*/", "", $(NF - 2)); print $(NF - 2) }' | sort | paste -sd ' ' -)"
	is "guest image: all of scripts/guest/, at opt/mmapbench/scripts/guest/" \
		"$(cd "$top/scripts/guest" && ls | sort | paste -sd ' ' -)" \
		"$(printf '%s\n' "$list" | awk '$NF ~ "^opt/mmapbench/scripts/guest/[^/]+$" { sub(".*/", "", $NF); print $NF }' |
			sort | paste -sd ' ' -)"
else
	for c in "mmapbench-analyze is a file" "its aliases are links to it" "scripts/guest/ whole"; do
		n=$((n + 1)); echo "not ok $n - guest image: $c: no build/bench/mmapbench-analyze (make userland)"
	done
fi
exits "build/mkperf with an option: exit 2, usage" 2 'usage: scripts/build/mkperf' "$top/scripts/build/mkperf" -h

# The static binaries that have no unit test of their command line (mmapbench, -compare
# and -track have theirs in tests/unit): built by make userland, run here directly.
b=$top/build
if [ -x "$b/bench/mmapbench-report" ] && [ -x "$b/tools/mapchunks" ] && [ -x "$b/tests/guest/t_fuzz" ]; then
	exits "mmapbench-report without a directory: exit 2, usage" 2 'usage: mmapbench-report' "$b/bench/mmapbench-report"
	exits "mmapbench-report with an unknown option: exit 2" 2 'usage: mmapbench-report' "$b/bench/mmapbench-report" --bogus x
	exits "mapchunks without a target: exit 2, usage" 2 'usage: mapchunks' "$b/tools/mapchunks"
	exits "mapchunks with a bad count: exit 2" 2 'usage: mapchunks' "$b/tools/mapchunks" -n abc anon
	exits "mapchunks with a bad map type: exit 2" 2 'usage: mapchunks' "$b/tools/mapchunks" -m both anon
	exits "t_badinput with an unknown mode: exit 2" 2 'usage: t_badinput' "$b/tests/guest/t_badinput" bogus
	for t in t_fuzz t_merge t_module t_race t_stress; do
		exits "$t with an argument: exit 2, usage" 2 "^usage: .*$t" "$b/tests/guest/$t" --help
	done
	exits "t_fuzz with MB_FUZZ_OPS not a number: exit 2" 2 'MB_FUZZ_OPS=12x: want a number' \
		env MB_FUZZ_OPS=12x "$b/tests/guest/t_fuzz"
	exits "t_fuzz with MB_FUZZ_OPS=0: exit 2" 2 'MB_FUZZ_OPS=0: want a number 1-' env MB_FUZZ_OPS=0 "$b/tests/guest/t_fuzz"
	exits "t_fuzz with a negative MB_FUZZ_SEED: exit 2" 2 'MB_FUZZ_SEED=-1: want a number' \
		env MB_FUZZ_SEED=-1 "$b/tests/guest/t_fuzz"
	exits "t_stress with MB_STRESS_SECONDS not a number: exit 2" 2 'MB_STRESS_SECONDS=soon: want seconds' \
		env MB_STRESS_SECONDS=soon "$b/tests/guest/t_stress"
	exits "t_stress with too many threads: exit 2" 2 'MB_STRESS_THREADS=17: want a number 1-16' \
		env MB_STRESS_THREADS=17 "$b/tests/guest/t_stress"
	exits "t_race with one thread: exit 2" 2 'MB_RACE_THREADS=1: want a number 2-8' \
		env MB_RACE_THREADS=1 "$b/tests/guest/t_race"
	exits "t_race with MB_RACE_OPS not a number: exit 2" 2 'MB_RACE_OPS=many: want a number' \
		env MB_RACE_OPS=many "$b/tests/guest/t_race"
else
	for i in $(seq 18); do
		n=$((n + 1)); echo "not ok $n - the static binaries' usage errors: not built (make userland)"
	done
fi
exits "chroot exec without a program: exit 2" 2 "usage: scripts/build/chroot exec" "$top/scripts/build/chroot" exec
exits "hyperfine-check with an unknown argument: exit 2" 2 "usage: hyperfine-check" "$top/scripts/guest/hyperfine-check" --bogus
exits "hyperfine-check with an unknown configuration: exit 2" 2 "unknown configuration 'nosuch'" \
	"$top/scripts/guest/hyperfine-check" --configs anon-4k,nosuch
exits "hyperfine-check with --runs 1: exit 2" 2 "not a count >= 2" "$top/scripts/guest/hyperfine-check" --runs 1

# scripts/build/version: the commit, and a hash of any difference from it (results/ aside).
g=$tmp/git
mkdir -p "$g/bench" && echo 'int x;' >"$g/bench/a.c" && git -C "$g" init -q &&
	git -C "$g" add . && git -C "$g" -c user.name=t -c user.email=t@t commit -qm one
v0=$("$top/scripts/build/version" "$g")
is "version: a clean tree is its commit" "$(git -C "$g" rev-parse --short HEAD)" "$v0"
echo 'int y;' >>"$g/bench/a.c"; v1=$("$top/scripts/build/version" "$g")
echo 'int z;' >"$g/bench/a.c"; v2=$("$top/scripts/build/version" "$g")
git -C "$g" checkout -q bench/a.c; echo 'new' >"$g/bench/b.c"; v3=$("$top/scripts/build/version" "$g")
rm "$g/bench/b.c"; mkdir -p "$g/results/r1"; echo '{}' >"$g/results/r1/results.json"; v4=$("$top/scripts/build/version" "$g")
is "version: a change, another change, an untracked file: three -dirty strings, all different" "3 3" \
	"$(printf '%s\n' "$v1" "$v2" "$v3" | grep -c "^$v0-dirty-[0-9a-f]\{8\}$") $(printf '%s\n' "$v1" "$v2" "$v3" | sort -u | wc -l)"
is "version: a new result directory is not a change of the code" "$v0" "$v4"

# run-suite keeps the harness's status through its tee (busybox sh has no pipefail):
# a stand-in mmapbench on PATH writes its -o file and exits with $FAKE_RC.
mkdir -p "$tmp/fake"
cat >"$tmp/fake/mmapbench" <<'EOF'
#!/bin/sh
while [ $# -gt 0 ]; do [ "$1" = -o ] && { [ "$FAKE_RC" = 2 ] || echo "{$MMAPBENCH_ACCEL}" >"$2"; }; shift; done
echo "fake summary"
exit "$FAKE_RC"
EOF
chmod +x "$tmp/fake/mmapbench"
printf 'flags\t\t: fpu vme de pse tsc msr\n' >"$tmp/cpu-bare"
printf 'flags\t\t: fpu vme de pse tsc msr hypervisor\n' >"$tmp/cpu-vm"
export MB_CPUINFO=$tmp/cpu-bare
exits "run-suite whose suite fails a case: exit 1, says so" 1 'mmapbench exited 1: a case failed' \
	env -u MMAPBENCH_ACCEL PATH="$tmp/fake:$PATH" FAKE_RC=1 "$top/scripts/guest/run-suite" --out "$tmp/rs1"
is "... its complete results are kept: results.json, summary.txt" "{bare} fake summary" \
	"$(cat "$tmp/rs1/results.json" "$tmp/rs1/summary.txt" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
exits "run-suite whose harness writes nothing: its exit status, no result directory" 2 'exited 2, no results' \
	env -u MMAPBENCH_ACCEL PATH="$tmp/fake:$PATH" FAKE_RC=2 "$top/scripts/guest/run-suite" --out "$tmp/rs2"
is "... and nothing left behind" "" "$(ls -d "$tmp"/rs2* 2>/dev/null)"
env -u MMAPBENCH_ACCEL PATH="$tmp/fake:$PATH" FAKE_RC=0 "$top/scripts/guest/run-suite" --out "$tmp/rs0" >/dev/null 2>&1
is "run-suite whose suite passes: exit 0, results in place" "0 {bare}" "$? $(cat "$tmp/rs0/results.json" 2>&1)"
# ... and the accelerator it records is checked against the CPU, not echoed.
env -u MMAPBENCH_ACCEL PATH="$tmp/fake:$PATH" FAKE_RC=0 MB_CPUINFO="$tmp/cpu-vm" \
	"$top/scripts/guest/run-suite" --out "$tmp/rs3" >/dev/null 2>&1
is "run-suite on a CPU that reports a hypervisor records accel vm" "{vm}" "$(cat "$tmp/rs3/results.json" 2>&1)"
exits "run-suite told 'bare' on a CPU that reports a hypervisor: exit 2, says so" 2 \
	'MMAPBENCH_ACCEL=bare, but the CPU reports a hypervisor' \
	env PATH="$tmp/fake:$PATH" FAKE_RC=0 MB_CPUINFO="$tmp/cpu-vm" MMAPBENCH_ACCEL=bare \
	"$top/scripts/guest/run-suite" --out "$tmp/rs4"
env -u MMAPBENCH_ACCEL PATH="$tmp/fake:$PATH" FAKE_RC=0 "$top/scripts/guest/run-suite" --out "$tmp/rs5" >/dev/null 2>&1
is "run-suite without a hypervisor flag records bare" "{bare}" "$(cat "$tmp/rs5/results.json" 2>&1)"
unset MB_CPUINFO
