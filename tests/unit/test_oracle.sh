#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_oracle.sh - `mmapbench oracle RECORD`, the merge oracle's trace parser, on
# records real guests kept (data/oracle/KERNEL/NAME.record, see data/README): its JSON
# is the JSON the guest's oracle wrote from the same trace (NAME.json, from the awk
# parser it replaced), value for value and key for key; then records made wrong from
# those: lost events, a missed kprobe, a window cut short, events the buffer did not
# hold, a bad header.  TAP.  Needs jq.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_oracle.sh
set -u
MB=${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}
. "$(dirname "$0")/lib.sh"
data=$(cd "$(dirname "$0")/data/oracle" 2>/dev/null && pwd)

need jq
recs=$(ls "$data"/*/*.record 2>/dev/null)
nrec=$(printf '%s\n' $recs | grep -c .)
kernels=$(printf '%s\n' $recs | sed 's|/[^/]*$||' | sort -u | grep -c .)
plan $((2 + 2 * nrec + 15))

[ "$kernels" -ge 3 ]
ok $? "records of at least three kernels ($kernels: $(ls "$data" | paste -sd ' ' -))"
# The trace's kernel is the directory's: every record says which it ran on.
st=0
for r in $recs; do
	grep -qx "kernel $(basename "$(dirname "$r")")-amd64" "$r" || grep -qx "kernel $(basename "$(dirname "$r")")" "$r" || st=1
done
ok $st "each record ran on the kernel its directory names"

for r in $recs; do
	name=$(basename "$(dirname "$r")")/$(basename "$r" .record)
	want=${r%.record}.json
	run "$MB" oracle "$r"
	printf '%s\n' "$out" >"$tmp/got.json"
	# the status the guest's JSON implies: 0 counted, 3 events lost or missed, 5 else
	want_rc=$(jq -r 'if .error == null then 0 elif .trace.lost > 0 or .trace.missed > 0
		then 3 else 5 end' "$want" 2>>"$tmp/err")
	[ "$rc" = "$want_rc" ]
	ok $? "$name: exit $want_rc, as its JSON's error implies (got $rc)"
	jq -c . "$want" >"$tmp/want.c" 2>"$tmp/err" && jq -c . "$tmp/got.json" >"$tmp/got.c" 2>>"$tmp/err" &&
		cmp -s "$tmp/want.c" "$tmp/got.c" || diff "$tmp/want.c" "$tmp/got.c" >>"$tmp/err"
	ok $? "$name: the JSON the guest's oracle wrote, key for key"
done

# ---- made wrong: from the first record that counted an exec-to-exit window ----
base=""
for r in $recs; do
	jq -e '.error == null and .window_complete' "${r%.record}.json" >/dev/null 2>&1 && { base=$r; break; }
done
[ -n "$base" ] || base=$(printf '%s\n' $recs | head -n 1)
echo "# the wrong ones are made from $base"
entries=$(sed -n 's/^entries //p' "$base")

# so many lost that the sum would not fit a long long (it wrapped negative: the counts
# looked whole): still lost, exit 3 (tests/fuzz/crashes/fuzz_oracle/lost-overflow.record)
{ sed 's/^lost 0$/lost 9223372036854775807/' "$base"; echo "CPU:0 [LOST 5 EVENTS]"; } >"$tmp/lostmax.record"
run "$MB" oracle "$tmp/lostmax.record"
[ "$rc" -eq 3 ] && printf '%s\n' "$out" | jq -e '.trace.lost > 0 and (.error | test("trace events were lost"))' >/dev/null
ok $? "lost 2^63-1 and a [LOST 5 EVENTS] line: exit 3, still lost, not wrapped negative"

# the header says events were lost: exit 3, the error names them
sed 's/^lost 0$/lost 7/' "$base" >"$tmp/lost.record"
run "$MB" oracle "$tmp/lost.record"
[ "$rc" -eq 3 ] && printf '%s\n' "$out" | jq -e '.trace.lost == 7 and (.error | test("^7 trace events were lost"))' >/dev/null &&
	grep -q '^oracle: 7 trace events were lost' "$tmp/err"
ok $? "7 lost events: exit 3, the JSON's error and stderr say so"

# a [LOST N EVENTS] line in the trace counts too
{ cat "$base"; echo "CPU:0 [LOST 12 EVENTS]"; } >"$tmp/lostline.record"
run "$MB" oracle "$tmp/lostline.record"
[ "$rc" -eq 3 ] && printf '%s\n' "$out" | jq -e '.trace.lost == 12' >/dev/null
ok $? "a [LOST 12 EVENTS] line: exit 3, 12 lost"

sed 's/^missed 0$/missed 2/' "$base" >"$tmp/missed.record"
run "$MB" oracle "$tmp/missed.record"
[ "$rc" -eq 3 ] && printf '%s\n' "$out" | jq -e '.error | test("^2 kprobe hits were missed")' >/dev/null
ok $? "2 missed kprobe hits: exit 3, the error says so"

sed "s/^entries $entries\$/entries $((entries + 1))/" "$base" >"$tmp/entries.record"
run "$MB" oracle "$tmp/entries.record"
[ "$rc" -eq 5 ] && printf '%s\n' "$out" |
	jq -e --arg e "$((entries + 1))" '.error | test("^the buffer held " + $e + " events but ")' >/dev/null
ok $? "one event more in the buffer than in the trace: exit 5, the error says so"

# an event of the pid that no probe names (an event the instance had enabled) is
# read once: with the buffer's count one higher the trace is complete, counts as
# before; without it, the trace holds one more event than the buffer
awk -v pid="$(sed -n 's/^pid //p' "$base")" '{ print }
	!done && /: mmap_region: / && $0 ~ "-" pid " " { sub(/: mmap_region: /, ": not_probed_here: "); print; done = 1 }' \
	"$base" >"$tmp/unknown0.record"
sed "s/^entries $entries\$/entries $((entries + 1))/" "$tmp/unknown0.record" >"$tmp/unknown.record"
run "$MB" oracle "$base"
printf '%s\n' "$out" | jq -c 'del(.trace.events)' >"$tmp/base.c"
run "$MB" oracle "$tmp/unknown.record"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | jq -c 'del(.trace.events)' | cmp -s - "$tmp/base.c" &&
	[ "$(printf '%s\n' "$out" | jq .trace.events)" -eq $(($(jq .trace.events "${base%.record}.json") + 1)) ]
ok $? "an event no probe names, in the buffer's count: exit 0, counted once, nothing else changed"
run "$MB" oracle "$tmp/unknown0.record"
[ "$rc" -eq 5 ] && printf '%s\n' "$out" |
	jq -e --arg e "$entries" --arg r "$((entries + 1))" '.error == "the buffer held " + $e + " events but " + $r + " were read"' >/dev/null
ok $? "... not in it: exit 5, one event more read than the buffer held (not two)"

# the window cut short: no do_exit
grep -v ': do_exit: ' "$base" >"$tmp/noexit.record"
n_exit=$(grep -c ': do_exit: ' "$base")
sed -i "s/^entries $entries\$/entries $((entries - n_exit))/" "$tmp/noexit.record"
run "$MB" oracle "$tmp/noexit.record"
[ "$rc" -eq 5 ] && printf '%s\n' "$out" | jq -e '.window_complete == false and (.error | test("^no do_exit seen"))' >/dev/null
ok $? "no do_exit: exit 5, window incomplete"

# another pid's events are not counted (they count as read from the buffer)
pid=$(sed -n 's/^pid //p' "$base")
sed "s/^pid $pid\$/pid $((pid + 100000))/" "$base" >"$tmp/otherpid.record"
run "$MB" oracle "$tmp/otherpid.record"
[ "$rc" -eq 5 ] && printf '%s\n' "$out" | jq -e '.trace.events == 0 and .mmap_region == 0 and (.error | test("never reached exec"))' >/dev/null
ok $? "a pid whose events the trace does not hold: nothing counted, exit 5"

# ---- bad records: exit 1, nothing on stdout, a message ----
bad() {	# bad DESC PATTERN FILE
	run "$MB" oracle "$3"
	[ "$rc" -eq 1 ] && [ -z "$out" ] && grep -q "$2" "$tmp/err"
	ok $? "$1: exit 1, nothing on stdout, says '$2'"
}
sed '1s/.*/mmapbench-oracle-record\/9/' "$base" >"$tmp/schema.record"
bad "another schema" "not a mmapbench-oracle-record/1" "$tmp/schema.record"
grep -v '^buffer_kb ' "$base" >"$tmp/nobuf.record"
bad "no buffer_kb line" "no 'buffer_kb' line" "$tmp/nobuf.record"
sed 's/^status .*/status zero/' "$base" >"$tmp/status.record"
bad "a status that is not a number" "status 'zero': not an integer" "$tmp/status.record"
# found by fuzz_oracle (tests/fuzz/crashes/fuzz_oracle/event-twice.record): the JSON
# named the probe twice, the second one's counts always 0
sed '/^event vma_expand /p' "$base" >"$tmp/twice.record"
bad "an event given twice" "event vma_expand given twice" "$tmp/twice.record"
sed 's/^lost 0$/lost -3/' "$base" >"$tmp/neg.record"
bad "a negative lost count" "lost '-3': negative" "$tmp/neg.record"
run "$MB" oracle
[ "$rc" -eq 2 ] && grep -q '^usage: mmapbench oracle RECORD' "$tmp/err"
ok $? "no RECORD: exit 2 with the usage"
[ "$failed" -eq 0 ]
