#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_abi.sh - `mmapbench list --abi` prints exactly the macros of the module's
# header, drivers/mmapbench/mmapbench_abi.h, with their values: the expected lines
# are generated from the header (the preprocessor lists its macros, a program built
# from that list prints their values), never copied.  Also `list --selections` and
# `list --selection NAME`.  TAP.  Needs cc.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_abi.sh
set -u
MB=${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}
. "$(dirname "$0")/lib.sh"
hdr=$(cd "$(dirname "$0")/../../drivers/mmapbench" && pwd)/mmapbench_abi.h

need cc
plan 13

# ---- the ABI, generated from the header ----
# Every object-like macro the header defines (its include guard aside), in its order.
cc -std=c11 -dM -E "$hdr" >"$tmp/macros" 2>"$tmp/err"
ok $? "the header preprocesses on its own (no includes)"
grep -o '^#define MMAPBENCH_[A-Z0-9_]*' "$hdr" | sed 's/^#define //' >"$tmp/names"
sed -n 's/^#define \(MMAPBENCH_[A-Z0-9_]*\)[ (].*/\1/p' "$tmp/macros" | sort >"$tmp/cpp-names"
sort "$tmp/names" | cmp -s - "$tmp/cpp-names"
ok $? "every MMAPBENCH_ macro the preprocessor sees is a #define line of the header ($(wc -l <"$tmp/names") of them)"
[ "$(grep -c '^#define MMAPBENCH_[A-Z0-9_]*(' "$tmp/macros")" -eq 0 ] && [ -s "$tmp/names" ]
ok $? "none is function-like"
{
	echo '#include <stdio.h>'
	echo "#include \"$hdr\""
	echo '#define STR_(x) #x'
	echo '#define STR(x) STR_(x)'
	echo '#define P(n) printf("%s=\x27%s\x27\\n", #n, _Generic((n), char *: (n), default: STR(n)))'
	echo 'int main(void)'
	echo '{'
	sed 's/.*/	P(&);/' "$tmp/names"
	echo '	return 0;'
	echo '}'
} >"$tmp/gen.c"
cc -std=c11 -Wall -Wextra -Werror -o "$tmp/gen" "$tmp/gen.c" 2>"$tmp/err" && "$tmp/gen" >"$tmp/want" 2>"$tmp/err"
ok $? "a program generated from the header's macro list builds and prints them"
run "$MB" list --abi
printf '%s\n' "$out" >"$tmp/got"
[ "$rc" -eq 0 ] && diff "$tmp/want" "$tmp/got" >"$tmp/err"
ok $? "mmapbench list --abi prints exactly the header's macros and values, in its order"
! grep -q "^[^=]*='.*'.*'" "$tmp/got" && ! grep -qv "^MMAPBENCH_[A-Z0-9_]*='[^']*'\$" "$tmp/got"
ok $? "every line is NAME='value' with no quote inside: eval-able"
( eval "$out" && [ -n "$MMAPBENCH_PROFILES" ] && [ "$MMAPBENCH_PROFILE_DEFAULT" = "$(printf '%s\n' "$MMAPBENCH_PROFILES" | tr , '\n' | grep -x "$MMAPBENCH_PROFILE_DEFAULT")" ] ) 2>"$tmp/err"
ok $? "eval defines them: the default profile is one of MMAPBENCH_PROFILES"
# The shell cannot fail to build on a renamed name, so this test stands in: every
# name of the header's kinds the scripts and shell tests use must be the header's.
top=$(cd "$(dirname "$0")/../.." && pwd)
{ find "$top/scripts" -type f; ls "$top"/tests/*/*.sh "$top/Makefile"; } |
	xargs grep -ohE 'MMAPBENCH_(MODULE|DEV_|SYSFS_|PARAMS?_|POOL_MB_|PROFILES?|HOOK_|DEBUGFS_|DBG_|COUNTERS?|NR_COUNTERS)[A-Z0-9_]*' |
	sort -u >"$tmp/used"
sort "$tmp/names" | comm -23 "$tmp/used" - >"$tmp/err"
[ -s "$tmp/used" ] && [ ! -s "$tmp/err" ]
ok $? "every module name the shell uses ($(wc -l <"$tmp/used")) is one the header defines"
run "$MB" list --abi extra
[ "$rc" -eq 2 ] && grep -q "unexpected argument 'extra'" "$tmp/err"
ok $? "list --abi with an argument: exit 2, says which"

# ---- selections ----
run "$MB" list --selections
printf '%s\n' "$out" >"$tmp/sel"
[ "$rc" -eq 0 ] && [ -s "$tmp/sel" ] && awk -F '\t' 'NF != 3 || $1 == "" || $2 == "" { bad = 1 } END { exit bad }' "$tmp/sel" &&
	[ -z "$(cut -f1 "$tmp/sel" | sort | uniq -d)" ]
ok $? "list --selections: NAME, words, what on each line; no name twice"
st=0
for name in $(cut -f1 "$tmp/sel"); do
	w=$("$MB" list --selection "$name" 2>>"$tmp/err") || st=1
	[ "$w" = "$(awk -F '\t' -v n="$name" '$1 == n { print $2 }' "$tmp/sel")" ] || st=1
done
ok $st "list --selection NAME prints the words of NAME, for each"
st=0
for c in $("$MB" list --selection hyperfine); do
	"$MB" list --selection "hyperfine/$c" >/dev/null 2>>"$tmp/err" || st=1
done
ok $st "each configuration the selection hyperfine names is a selection hyperfine/NAME"
run "$MB" list --selection no-such-selection
[ "$rc" -eq 2 ] && [ -z "$out" ] && grep -q "unknown selection 'no-such-selection'" "$tmp/err"
ok $? "an unknown selection: exit 2, nothing on stdout, says which"
[ "$failed" -eq 0 ]
