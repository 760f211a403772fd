#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_schemas.sh - the result files' schema names, defined once (bench/lib/schemas.h):
# `mmapbench list --schemas` prints exactly the header's macros and values (generated
# from the header, never copied), its --table is the header's MB_SCHEMAS table and
# bench/README.md's "Schemas" table is that; every writer writes its name (the
# harness, compare, trust cv and tally, hfcheck report, the oracle, fold) and every
# reader that checks one refuses another (compare, trust tally, hfcheck, the oracle,
# scripts/host/plot through mmapbench-plot).  TAP.  Needs cc and jq.
#   MMAPBENCH=build/bench/mmapbench tests/unit/test_schemas.sh
set -u
MB=${MMAPBENCH:-$(dirname "$0")/../../build/bench/mmapbench}
B=$(dirname "$MB")
top=$(cd "$(dirname "$0")/../.." && pwd)
hdr=$top/bench/lib/schemas.h
. "$(dirname "$0")/lib.sh"
need cc jq
plan 20

# ---- the names, generated from the header ----
grep -o '^#define MB_SCHEMA_[A-Z0-9_]*' "$hdr" | sed 's/^#define //' >"$tmp/names"
{
	echo '#include <stdio.h>'
	echo "#include \"$hdr\""
	echo 'int main(void)'
	echo '{'
	sed 's/.*/	printf("%s=\x27%s\x27\\n", "&", &);/' "$tmp/names"
	echo '	return 0;'
	echo '}'
} >"$tmp/gen.c"
cc -std=c11 -Wall -Wextra -Werror -o "$tmp/gen" "$tmp/gen.c" 2>"$tmp/err" && "$tmp/gen" >"$tmp/want" 2>"$tmp/err"
ok $? "a program generated from the header's $(wc -l <"$tmp/names") MB_SCHEMA_ macros builds and prints them"
run "$MB" list --schemas
printf '%s\n' "$out" >"$tmp/got"
[ "$rc" -eq 0 ] && diff "$tmp/want" "$tmp/got" >"$tmp/err"
ok $? "mmapbench list --schemas prints exactly the header's names and values, in its order"
! grep -qv "^MB_SCHEMA_[A-Z0-9_]*='mmapbench-[a-z-]*/[0-9][0-9]*'\$" "$tmp/got" &&
	[ "$(cut -d= -f2 "$tmp/got" | sort -u | wc -l)" -eq "$(wc -l <"$tmp/got")" ]
ok $? "each is mmapbench-NAME/N, eval-able, and no two are the same"
eval "$out"

run "$MB" list --schemas --table
printf '%s\n' "$out" >"$tmp/table"
[ "$rc" -eq 0 ] && awk -F'\t' '{ print $1 "=\047" $2 "\047" }' "$tmp/table" | cmp -s - "$tmp/want" &&
	! awk -F'\t' 'NF != 5 || $3 == "" || $4 == "" || $5 == ""' "$tmp/table" | grep -q .
ok $? "--table: every schema of the header, each with its file, writer and readers"
sed -n '/^## Schemas$/,/^## /p' "$top/bench/README.md" | grep '^| `' |
	awk -F' [|] ' '{ sub(/^[|] /, "", $1); gsub(/`/, "", $1); gsub(/`/, "", $2);
		print $2 "\t" $1 "\t" $3 "\t" $4 "\t" $5 }' >"$tmp/readme"
diff "$tmp/table" "$tmp/readme" >"$tmp/err"
ok $? "bench/README.md's Schemas table is --table: names, files, writers, readers"
run "$MB" list --schemas --bogus
[ "$rc" -eq 2 ] && grep -q "unexpected argument '--bogus'" "$tmp/err"
ok $? "list --schemas with another argument: exit 2"

# ---- every writer writes its name ----
data=$top/tests/unit/data
"$MB" run -q -b storm -t anon -s 4k --map private --populate no --threads 1 --samples 2 \
	-o "$tmp/r.json" >/dev/null 2>"$tmp/err"
[ "$(jq -r .schema "$tmp/r.json" 2>>"$tmp/err")" = "$MB_SCHEMA_RESULTS" ]
ok $? "mmapbench run writes $MB_SCHEMA_RESULTS"
"$B/mmapbench-compare" --json "$data/storm-aa-1.json" "$data/storm-aa-2.json" >"$tmp/c.json" 2>"$tmp/err"
[ "$(jq -r .schema "$tmp/c.json" 2>>"$tmp/err")" = "$MB_SCHEMA_COMPARE" ]
ok $? "mmapbench-compare --json writes $MB_SCHEMA_COMPARE"
mkdir -p "$tmp/set/1" "$tmp/set/2" && cp "$data/storm-aa-1.json" "$tmp/set/1/results.json" &&
	cp "$data/storm-aa-2.json" "$tmp/set/2/results.json"
[ "$("$B/mmapbench-trust" cv --json "$tmp/set" 2>"$tmp/err" | jq -r .schema)" = "$MB_SCHEMA_CV" ]
ok $? "mmapbench-trust cv --json writes $MB_SCHEMA_CV"
[ "$("$B/mmapbench-trust" tally --json -l aa "$tmp/c.json" 2>"$tmp/err" | jq -r .schema)" = "$MB_SCHEMA_TRUST" ]
ok $? "mmapbench-trust tally --json (it reads $MB_SCHEMA_COMPARE) writes $MB_SCHEMA_TRUST"
hf=$(ls -d "$top"/results/*/hyperfine/anon-4k | head -n 1)
"$B/mmapbench-hfcheck" report -o "$tmp/hf.json" "$hf" >/dev/null 2>"$tmp/err"
[ "$(jq -r .schema "$tmp/hf.json" 2>>"$tmp/err")" = "$MB_SCHEMA_HYPERFINE" ]
ok $? "mmapbench-hfcheck report (it reads $MB_SCHEMA_RESULTS) writes $MB_SCHEMA_HYPERFINE"
rec=$(ls "$data"/oracle/*/*.record | head -n 1)
[ "$(head -n 1 "$rec")" = "$MB_SCHEMA_ORACLE_RECORD" ]
ok $? "a record scripts/guest/oracle kept starts with $MB_SCHEMA_ORACLE_RECORD"
"$MB" oracle "$rec" >"$tmp/o.json" 2>"$tmp/err"
[ "$(jq -r .oracle "$tmp/o.json" 2>>"$tmp/err")" = "$MB_SCHEMA_ORACLE" ]
ok $? "mmapbench oracle RECORD writes $MB_SCHEMA_ORACLE"
d=$(ls -d "$top"/results/*-oracle-7.3* | head -n 1)
[ "$("$B/mmapbench-analyze" fold "$d" 2>"$tmp/err" | jq -r .schema)" = "$MB_SCHEMA_ORACLE_FOLD" ]
ok $? "mmapbench-analyze fold writes $MB_SCHEMA_ORACLE_FOLD"

# ---- every reader that checks a name refuses another ----
bump() { sed "s|\"$2\"|\"${2%/*}/999\"|" "$1"; }	# bump FILE NAME: NAME/999 instead
bump "$data/storm-aa-2.json" "$MB_SCHEMA_RESULTS" >"$tmp/r999.json"
run "$B/mmapbench-compare" "$data/storm-aa-1.json" "$tmp/r999.json"
[ "$rc" -eq 2 ] && grep -q "want \"$MB_SCHEMA_RESULTS\"" "$tmp/err"
ok $? "mmapbench-compare refuses a results file of another schema, naming its own"
bump "$tmp/c.json" "$MB_SCHEMA_COMPARE" >"$tmp/c999.json"
run "$B/mmapbench-trust" tally -l aa "$tmp/c999.json"
[ "$rc" -eq 2 ] && grep -q 'not a mmapbench-compare --json output' "$tmp/err"
ok $? "mmapbench-trust tally refuses a comparison of another schema"
cp -r "$hf" "$tmp/hf"
bump "$hf/harness.json" "$MB_SCHEMA_RESULTS" >"$tmp/hf/harness.json"
run "$B/mmapbench-hfcheck" report -o "$tmp/hf2.json" "$tmp/hf"
[ "$rc" -eq 1 ] && grep -q "want \"$MB_SCHEMA_RESULTS\"" "$tmp/err" && [ ! -e "$tmp/hf2.json" ]
ok $? "mmapbench-hfcheck refuses a harness file of another schema, writing nothing"
sed "1s|.*|${MB_SCHEMA_ORACLE_RECORD%/*}/999|" "$rec" >"$tmp/r999.record"
run "$MB" oracle "$tmp/r999.record"
[ "$rc" -eq 1 ] && grep -q "not a $MB_SCHEMA_ORACLE_RECORD" "$tmp/err"
ok $? "mmapbench oracle refuses a record of another schema"
mkdir -p "$top/build" && p=$(mktemp -d "$top/build/schemas.XXXXXX")
cp "$tmp/r999.json" "$p/results.json"
run "$top/scripts/host/plot" "$p"
[ "$rc" -eq 2 ] && grep -q "want \"$MB_SCHEMA_RESULTS\"" "$tmp/err" && [ ! -d "$p/plots" ]
ok $? "scripts/host/plot (mmapbench-plot, the shared results reader) refuses a results file of another schema"
rm -rf "$p"
# The names the shell and jq readers use come from the harness, not typed again.
! grep -n '"mmapbench-[a-z-]*/[0-9]' "$top/scripts/host/plot" >"$tmp/err"
ok $? "scripts/host/plot does not spell a schema name itself"

[ "$failed" -eq 0 ]
