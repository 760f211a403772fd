#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_figures.sh - scripts/host/figures: the figures of FINDINGS.md (and README.md,
# docs/*.md) are what their committed result files give (the claim that fails when
# document and files disagree), and every relative link there names a file; a doctored
# figure, a doctored result file or a link to nothing is caught, a stale block is
# rewritten and nothing outside the blocks is touched, a broken marker or an unknown
# figure is refused.  TAP.  Needs jq.
set -u
bin=$(cd "$(dirname "${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}")" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
FIG=$top/scripts/host/figures
. "$(dirname "$0")/lib.sh"
need jq
plan 13

run "$FIG" --check -b "$bin"
ok "$rc" "README.md's, FINDINGS.md's and docs/'s figures equal what scripts/host/figures makes of the result files, and their links name files"
blocks=$(cat "$top/README.md" "$top/FINDINGS.md" "$top"/docs/*.md | grep -c '^<!-- fig:[a-z0-9_]* -->$')
[ "$blocks" -ge 7 ] && [ "$blocks" -eq "$(cat "$top/README.md" "$top/FINDINGS.md" "$top"/docs/*.md | grep -c '^<!-- /fig -->$')" ]
ok $? "README.md + FINDINGS.md + docs/: $blocks figure blocks, each closed"
# The copies below sit in $tmp: their links resolve there, to the repository's files.
for d in results docs README.md; do ln -s "$top/$d" "$tmp/$d"; done

# A figure edited by hand: caught, and the diff names the number.
sed 's/\*\*21 of 320 (6\.6 %)\*\*/**21 of 440 (4.8 %)**/' "$top/FINDINGS.md" >"$tmp/hand.md"
run "$FIG" --check -b "$bin" "$tmp/hand.md"
[ "$rc" -eq 1 ] && ! cmp -s "$top/FINDINGS.md" "$tmp/hand.md" &&
	printf '%s\n' "$out" | grep -q '^-.*21 of 440 (4.8 %)' && grep -q 'differs from its result files' "$tmp/err"
ok $? "a figure edited by hand (the A/A rate): --check exits 1 with the diff"
run "$FIG" -b "$bin" "$tmp/hand.md"
[ "$rc" -eq 0 ] && cmp -s "$top/FINDINGS.md" "$tmp/hand.md"
ok $? "... and without --check the block is regenerated: the file equals FINDINGS.md again"

# A result file that changed: the figure follows it.
cp -r "$top/results" "$tmp/r"
jq '.env.overhead.batch_ns = 2.5' "$top/results/20261124T103548Z-bare/results.json" \
	>"$tmp/r/20261124T103548Z-bare/results.json"
rm "$tmp/r/20261124T100135Z-aa/cmp/p007.json"
jq '.rows[0].significant = true' "$top/results/20261124T100135Z-aa/cmp/p001.json" \
	>"$tmp/r/20261124T100135Z-aa/cmp/p001.json"
run "$FIG" --check -b "$bin" -r "$tmp/r"
[ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -q '^+.*loop: 2\.500 ns batched'
ok $? "a result file that changed (env.overhead.batch_ns 2.5): the figure says 2.500 ns"
[ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -q '^+| host (bare), 20 pairs .*\*\*22 of 304 (7\.2 %)\*\*'
ok $? "the A/A figure is the tally of the comparisons there: one more flagged, one pair fewer"
rm "$tmp/r/20261124T103548Z-bare/results.json"
run "$FIG" --check -b "$bin" -r "$tmp/r"
[ "$rc" -eq 1 ] && grep -q 'fig:[a-z_]* failed' "$tmp/err" &&
	grep -q '20261124T103548Z-bare/results.json' "$tmp/err"
ok $? "a result file that is gone: the figure fails, naming the file"

# Links: from the file's own directory; one to nothing fails --check, naming it.
mkdir -p "$tmp/sub"
printf '[a](../results/20261124T100135Z-aa/aa.txt) [b](../README.md#two-commands) [c](https://example.org/x) [d](#here)\n' >"$tmp/sub/good.md"
run "$FIG" --check -b "$bin" "$tmp/sub/good.md"
ok "$rc" "links that name files from the file's directory (../results/..., an anchor on another file), a URL, an anchor: --check exit 0"
printf 'x\n[gone](results/19700101T000000Z-nosuch/summary.txt) and [up](results/20261124T100135Z-aa/aa.txt)\n' >"$tmp/sub/bad.md"
run "$FIG" --check -b "$bin" "$tmp/sub/bad.md"
[ "$rc" -eq 1 ] && grep -q "sub/bad.md:2: results/19700101T000000Z-nosuch/summary.txt" "$tmp/err" &&
	grep -q "sub/bad.md:2: results/20261124T100135Z-aa/aa.txt" "$tmp/err" && [ "$(grep -c 'a link to nothing' "$tmp/err")" -eq 2 ]
ok $? "a link to a result directory that is not there, or resolved from the wrong directory: --check exit 1, each named"

# Markers.
printf 'a\n<!-- fig:matrix -->\nold\n' >"$tmp/open.md"
run "$FIG" -b "$bin" "$tmp/open.md"
[ "$rc" -eq 2 ] && grep -q 'fig:matrix is never closed' "$tmp/err" && [ "$(cat "$tmp/open.md")" = "$(printf 'a\n<!-- fig:matrix -->\nold')" ]
ok $? "a block never closed: exit 2, the file untouched"
printf '<!-- fig:nosuch -->\n<!-- /fig -->\n' >"$tmp/unknown.md"
run "$FIG" -b "$bin" "$tmp/unknown.md"
[ "$rc" -eq 2 ] && grep -q "no figure named 'nosuch'" "$tmp/err"
ok $? "an unknown figure: exit 2, named"
printf 'x\n<!-- /fig -->\n' >"$tmp/stray.md"
run "$FIG" -b "$bin" "$tmp/stray.md"
[ "$rc" -eq 2 ] && grep -q 'without a block' "$tmp/err"
ok $? "a closing marker without a block: exit 2"
printf 'before\n<!-- fig:timebase -->\nstale\n<!-- /fig -->\nafter\n' >"$tmp/one.md"
run "$FIG" -b "$bin" "$tmp/one.md"
[ "$rc" -eq 0 ] && [ "$(head -1 "$tmp/one.md")" = before ] && [ "$(tail -1 "$tmp/one.md")" = after ] &&
	! grep -q stale "$tmp/one.md" && grep -q '^\*\*The time base\.\*\*' "$tmp/one.md"
ok $? "a stale block is replaced, the lines around it kept"

[ "$failed" -eq 0 ]
