#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fleets' run steps, executed in the guest as each fleet calls them (busybox sh,
# TAP): LKP's programs/mmapbench/run then parse, and the LAVA definition's run.steps
# read from mmapbench.yaml.  Stand-ins, only for the fleets' own helpers:
#   LKP:  $LKP_SRC/lib/env.sh (log_cmd: print and run; die) and lib/run.sh
#         (cd_benchmark: cd $BENCHMARK_ROOT/$testcase), the package under
#         $BENCHMARK_ROOT/mmapbench made of links to the image's /opt/mmapbench;
#   LAVA: automated/utils/send-to-lava.sh (each line to lava-test-case) and a
#         lava-test-case that checks and records its arguments.
# The module is loaded by the guest's init, so both steps take their "already
# loaded" branch: building it needs headers and a compiler this image has not
# (tests/host/fleets.t.sh builds it the same way against the chroot's headers).
# What they produced is left in /out/fleets/.
F=/opt/mmapbench/fleets
MB=/opt/mmapbench
W=/tmp/fleets
. "$(dirname "$0")/tap.sh"	# ok STATUS DESC: tests/tap.sh, beside this file in the image
plan 11	# the plan first: a run that stops early fails
NUM='-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?'
NAME='[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+'
rm -rf "$W" && mkdir -p "$W" /out/fleets

# ---- LKP ----
mkdir -p "$W/lkp-src/lib" "$W/bm/mmapbench/build" "$W/result"
cat >"$W/lkp-src/lib/env.sh" <<'EOT'
# stand-in for lkp-tests' lib/env.sh: what programs/mmapbench/run uses
log_cmd() { echo "$*"; "$@"; }
die() { echo "$*" >&2; exit 1; }
EOT
cat >"$W/lkp-src/lib/run.sh" <<'EOT'
# stand-in for lkp-tests' lib/run.sh
cd_benchmark() { cd "$BENCHMARK_ROOT/$testcase" || die "no $BENCHMARK_ROOT/$testcase"; }
EOT
ln -s "$MB/bin" "$W/bm/mmapbench/build/bench"
ln -s "$MB/scripts" "$W/bm/mmapbench/scripts"
(
	export LKP_SRC="$W/lkp-src" BENCHMARK_ROOT="$W/bm" RESULT_ROOT="$W/result" \
		testcase=mmapbench suite=quick
	"$F/lkp/programs/mmapbench/run" >"$W/result/mmapbench" 2>"$W/result/mmapbench.err"
)
ok $? "LKP run: suite=quick completed (exit 0)"
ok "$([ -s "$W/result/mmapbench-results/results.json" ]; echo $?)" \
	"LKP run left \$RESULT_ROOT/mmapbench-results/results.json"
grep -q 'already loaded' "$W/result/mmapbench"
ok $? "LKP run used the loaded module"
(
	export RESULT_ROOT="$W/result" BENCHMARK_ROOT="$W/bm"
	"$F/lkp/programs/mmapbench/parse" <"$W/result/mmapbench" >"$W/result/mmapbench.stats"
)
ok $? "LKP parse: exit 0"
lines=$(wc -l <"$W/result/mmapbench.stats")
grep -Evx "$NAME: $NUM" "$W/result/mmapbench.stats" >"$W/bad"
ok "$([ "$lines" -gt 0 ] && [ ! -s "$W/bad" ]; echo $?)" \
	"LKP parse: $lines lines, each name: number$( [ -s "$W/bad" ] && echo " (not: $(head -1 "$W/bad"))")"
ok "$([ -z "$(cut -d: -f1 "$W/result/mmapbench.stats" | sort | uniq -d)" ]; echo $?)" \
	"LKP parse: names unique"
# the new hook's device only where the kernel has the hook (run-all.sh's MB_EXPECT_HOOK)
if [ "${MB_EXPECT_HOOK:-mmap_prepare}" = none ]; then
	grep -q '^storm\.legacy\.' "$W/result/mmapbench.stats" &&
		! grep -q '^storm\.prepare\.' "$W/result/mmapbench.stats"
	ok $? "LKP parse: the legacy device measured, prepare not (no hook on this kernel)"
else
	grep -q '^storm\.prepare\.' "$W/result/mmapbench.stats" &&
		grep -q '^storm\.legacy\.' "$W/result/mmapbench.stats"
	ok $? "LKP parse: both module devices measured"
fi
cp "$W/result/mmapbench" "$W/result/mmapbench.stats" "$W/result/mmapbench-results/results.json" \
	/out/fleets/ 2>/dev/null
mv /out/fleets/results.json /out/fleets/lkp-results.json 2>/dev/null

# ---- LAVA ----
td=$W/test-definitions
mkdir -p "$td/automated/linux" "$td/automated/utils" "$W/lava-bin" "$W/lava-mb/build"
cp -r "$F/lava/automated/linux/mmapbench" "$td/automated/linux/"
ln -s "$MB/bin" "$W/lava-mb/build/bench"
ln -s "$MB/scripts" "$W/lava-mb/scripts"
cat >"$td/automated/utils/send-to-lava.sh" <<'EOT'
#!/bin/sh
# stand-in for test-definitions' send-to-lava.sh: each "test result [measurement
# [units]]" line of the file to lava-test-case
while read -r test result measurement units; do
	if [ -n "$units" ]; then
		lava-test-case "$test" --result "$result" --measurement "$measurement" --units "$units"
	elif [ -n "$measurement" ]; then
		lava-test-case "$test" --result "$result" --measurement "$measurement"
	else
		lava-test-case "$test" --result "$result"
	fi
done <"$1"
EOT
cat >"$W/lava-bin/lava-test-case" <<EOT
#!/bin/sh
# stand-in for LAVA's lava-test-case: checks its arguments, records them
name=\$1; shift
echo "\$name" | grep -Eqx '[-_.a-zA-Z0-9]+' || { echo "bad test case name '\$name'" >&2; exit 1; }
[ "\$1" = --result ] || { echo "\$name: no --result" >&2; exit 1; }
case \$2 in pass|fail|skip|unknown) ;; *) echo "\$name: bad result '\$2'" >&2; exit 1 ;; esac
if [ \$# -gt 2 ]; then
	[ "\$3" = --measurement ] && echo "\$4" | grep -Eqx -- '$NUM' ||
		{ echo "\$name: bad measurement '\$4'" >&2; exit 1; }
fi
echo "\$name \$2 \${4:-} \${6:-}" >>"$W/lava-cases"
EOT
chmod +x "$td/automated/utils/send-to-lava.sh" "$W/lava-bin/lava-test-case"
# run.steps of mmapbench.yaml, one shell line each, with its params in the environment
sed -n '/^    steps:/,$ s/^        - //p' "$F/lava/automated/linux/mmapbench/mmapbench.yaml" >"$W/steps.sh"
ok "$([ "$(wc -l <"$W/steps.sh")" -eq 3 ]; echo $?)" "LAVA: mmapbench.yaml has its three run steps"
: >"$W/lava-cases"
(
	cd "$td" && PATH="$W/lava-bin:$PATH" SUITE=quick KDIR="" MMAPBENCH_DIR="$W/lava-mb" \
		MMAPBENCH_GIT="" sh -e "$W/steps.sh"
) >"$W/lava.log" 2>&1
ok $? "LAVA: the run steps completed (exit 0)"
res=$td/automated/linux/mmapbench/output/result.txt
lines=$(wc -l <"$res" 2>/dev/null || echo 0)
cases=$(wc -l <"$W/lava-cases")
ok "$([ "$lines" -gt 0 ] && [ "$cases" -eq "$lines" ]; echo $?)" \
	"LAVA: every result.txt line became a lava-test-case ($cases of $lines)"
grep -c ' pass ' "$W/lava-cases" >"$W/npass"
grep -Evx "$NAME pass $NUM [^ ]+" "$W/lava-cases" | grep -Evx '[^ ]+ (skip|fail)  ' >"$W/bad"
ok "$([ "$(cat "$W/npass")" -gt 0 ] && [ ! -s "$W/bad" ]; echo $?)" \
	"LAVA: $(cat "$W/npass") passes with a measurement and unit, the rest skip$( [ -s "$W/bad" ] && echo " (not: $(head -1 "$W/bad"))")"
cp "$res" /out/fleets/lava-result.txt 2>/dev/null
cp "$W/lava-cases" "$W/lava.log" /out/fleets/ 2>/dev/null

[ "$failed" -eq 0 ]
