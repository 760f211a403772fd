#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_fold.sh - `mmapbench-analyze fold DIR`, the oracle's and perf's counts of a boot
# as results.json's "oracle" object, on what real guests left (the committed
# results/20261203T15*-oracle-ABI/{oracle,perf}/): its object is the one
# scripts/host/fold-oracle's jq made of the same files (data/fold/ABI.json, see
# data/README), key for key; its perf counts are the CSV's; then directories made
# wrong from one of them: an oracle JSON cut short, perf's "<not counted>", no perf/,
# a setup that failed, a status file that is not one, no oracle/.  TAP.  Needs jq.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_fold.sh
set -u
MB=${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}
FOLD="$(dirname "$MB")/mmapbench-analyze fold"
top=$(cd "$(dirname "$0")/../.." && pwd)
data=$top/tests/unit/data/fold
. "$(dirname "$0")/lib.sh"
need jq
plan 15

st=0 k=0
for want in "$data"/*.json; do
	abi=$(basename "$want" .json)
	d=$(ls -d "$top"/results/*-oracle-"$abi" | head -n 1)
	k=$((k + 1))
	run $FOLD "$d"
	[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -c . >"$tmp/got.c" && jq -c . "$want" >"$tmp/want.c" &&
		cmp -s "$tmp/got.c" "$tmp/want.c" || { st=1; echo "# $abi differs" >>"$tmp/err"; }
done
[ "$k" -ge 3 ]
ok $? "recorded boots of at least three kernels ($k)"
ok $st "each boot's object is the one jq made of the same files, key for key"

# the counts are the CSV's first field, event by event (third field)
d=$(ls -d "$top"/results/*-oracle-6.12.117+deb13 | head -n 1)
run $FOLD "$d"
printf '%s\n' "$out" >"$tmp/o.json"
jq -r '.runs["legacy-dontdump"].perf | to_entries[] | select(.key != "status") |
	"\(.value),\(.key)"' "$tmp/o.json" | sort >"$tmp/got"
grep -v '^#' "$d/perf/legacy-dontdump.csv" | awk -F, 'NF > 2 { print $1 "," $3 }' | sort >"$tmp/want"
[ -s "$tmp/want" ] && cmp -s "$tmp/got" "$tmp/want"
ok $? "legacy-dontdump's perf counts are its CSV's, event by event"
jq -e '.runs["legacy-dontdump"] | .chunks - .merged == .vmas and .agree == true' "$tmp/o.json" >/dev/null
ok $? "agree: chunks - merged = vmas, and says so"
jq -e '. as $o | [.runs[] | .perf | keys[] | select(. != "status")] | unique == $o.perf.events and
	($o.perf.events | length) > 0' "$tmp/o.json" >/dev/null
ok $? "perf.events: every event any run counted, once, sorted"

# ---- made wrong, from the 6.12 boot ----
mk() { rm -rf "$tmp/d"; mkdir -p "$tmp/d"; cp -r "$d/oracle" "$d/perf" "$tmp/d/"; }

mk
head -c 200 "$d/oracle/legacy-none.json" >"$tmp/d/oracle/legacy-none.json"
run $FOLD "$tmp/d"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -e '.runs["legacy-none"] | .error == "no readable oracle JSON" and
	.chunks == null and .merged == null and .agree == null and .status == 0' >/dev/null
ok $? "an oracle JSON cut short: folded as null, with why"
printf '%s\n' "$out" | jq -e '.runs["legacy-dontdump"].agree == true and (.runs | length) == 4' >/dev/null
ok $? "... the other runs as before"

mk
sed 's/^[0-9]*,,page-faults,/<not counted>,,page-faults,/' "$d/perf/secretmem.csv" >"$tmp/d/perf/secretmem.csv"
run $FOLD "$tmp/d"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -e '.runs.secretmem.perf | has("page-faults") and
	.["page-faults"] == null and .["minor-faults"] != null' >/dev/null
ok $? "perf's <not counted>: the count is null, never 0"

mk
rm -r "$tmp/d/perf"
run $FOLD "$tmp/d"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -e '(.perf.error | test("no perf/ directory")) and
	.perf.version == null and .perf.events == [] and ([.runs[].perf] | all(. == null))' >/dev/null
ok $? "no perf/: perf.error says so, every run's perf is null"

mk
printf 'insmod: cannot load\n' >"$tmp/d/oracle/setup.log"
: >"$tmp/d/oracle/FAILED"
run $FOLD "$tmp/d"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -e '.setup_error == "insmod: cannot load\n"' >/dev/null
ok $? "oracle/FAILED: setup_error is setup.log"

mk
printf '1\n' >"$tmp/d/oracle/legacy-special.status"
run $FOLD "$tmp/d"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -e '.runs["legacy-special"] | .status == 1 and .agree == null' >/dev/null
ok $? "a run that exited 1: its status, and no verdict on agreement"

mk
printf 'oops\n' >"$tmp/d/oracle/legacy-special.status"
run $FOLD "$tmp/d"
[ "$rc" -eq 1 ] && [ -z "$out" ] && grep -q 'legacy-special.status: not an exit status' "$tmp/err"
ok $? "a status file that is not an exit status: exit 1, named, nothing printed"

mk
rm "$tmp/d/oracle/secretmem.out"
run $FOLD "$tmp/d"
[ "$rc" -eq 1 ] && [ -z "$out" ] && grep -q 'secretmem.out' "$tmp/err"
ok $? "a run without its .out: exit 1, named"

rm -rf "$tmp/d/oracle"
run $FOLD "$tmp/d"
[ "$rc" -eq 1 ] && grep -q 'did oracle-collect.sh run' "$tmp/err"
ok $? "no oracle/: exit 1, saying what should have made it"

run $FOLD
r1=$rc
run $FOLD a b
[ "$r1" -eq 2 ] && [ "$rc" -eq 2 ] && grep -q 'one directory only' "$tmp/err"
ok $? "no directory, or two: exit 2"

[ "$failed" -eq 0 ]
