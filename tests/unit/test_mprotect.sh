#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_mprotect.sh - the mprotect benchmark (bench/benchmarks/b_mprotect.c): it splits
# and merges back on the targets a host without the module has.
# TAP.  Asserts behaviour, never timings.  Needs jq.
set -u
dir=$(dirname "$0")/../../build/bench
MB=${MMAPBENCH:-$dir/mmapbench}
. "$(dirname "$0")/lib.sh"

need jq
plan 3
res=$tmp/mp.json
run "$MB" run -b mprotect -t anon,memfd,file,devzero --samples 3 --warmup 1 -q -o "$res"
ok "$rc" "mprotect runs on anon, memfd, file and /dev/zero"
jq -e '[.cases[]] | length == 8 and all(.status == "ok" and .family == "mprotect" and
	([.metrics[].name] == ["split", "merge", "remerged"]))' "$res" >/dev/null
ok $? "8 cases (4 targets x private, shared), each with split, merge and remerged"
jq -e 'all(.cases[]; .metrics[] | select(.name == "remerged") |
	(.samples | length) == 3 and all(.samples[]; . == 1))' "$res" >/dev/null
ok $? "remerged: every probed mapping is one VMA again after the merge step"
