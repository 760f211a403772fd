#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# fleets/: every YAML file parses (PyYAML, python3-yaml, installed from Debian when
# missing) and has the keys its fleet reads; the generated LKP index's keys are
# regexes; and LKP's run step builds the module the way a test box does, against
# kernel headers given in LINUX_HEADERS_DIR (the chroot's, for 7.3), with stand-ins
# for LKP's lib/env.sh and lib/run.sh (log_cmd records insmod instead of running it:
# this host cannot load modules), then runs the quick suite and parse reads it.
# The run steps in a booted guest: tests/guest/t_fleets.t.sh.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/host/lib.sh"

if ! python3 -c 'import yaml' 2>/dev/null; then
	{ apt-get install -y -q python3-yaml || { apt-get update -q && apt-get install -y -q python3-yaml; }; } \
		>"$tmp/apt.log" 2>&1 ||
		{ printf '1..1\nnot ok 1 - python3-yaml installs (apt-get failed: %s)\n' "$(tail -1 "$tmp/apt.log")"; exit 1; }
fi
plan 12

# yamlcheck FILE PYTHON-ASSERTIONS: parse FILE into d, then run the assertions.
yamlcheck() {
	python3 - "$1" "$2" <<'EOF' 2>"$tmp/err"
import re, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
exec(sys.argv[2])
EOF
}
# yis DESC: a claim on the last command's status, its stderr's tail shown on a failure
yis() {
	local r=$?
	is "$1" 0 "$r"
	[ "$r" = 0 ] || tail -n 3 "$tmp/err" | sed 's/^/# /'
}
F=$top/fleets
yamlcheck "$F/lava/automated/linux/mmapbench/mmapbench.yaml" '
m = d["metadata"]
assert m["format"] == "Lava-Test Test Definition 1.0", m["format"]
assert m["name"] == "mmapbench" and "performance" in m["scope"]
assert all(k in m for k in ("description", "maintainer", "os", "devices"))
s = d["run"]["steps"]
assert len(s) == 3 and s[0].startswith("cd ") and s[2].startswith("../../utils/send-to-lava.sh"), s
assert set(d["params"]) >= {"SUITE", "KDIR"}'
yis "LAVA mmapbench.yaml parses: metadata, params, three run steps"
yamlcheck "$F/lkp/jobs/mmapbench.yaml" '
assert d["suite"] == d["testcase"] == "mmapbench" and d["category"] == "benchmark"
assert all(isinstance(v, list) and v for v in d["mmapbench"].values()), d["mmapbench"]'
yis "LKP jobs/mmapbench.yaml parses: suite, testcase, category, lists of parameters"
yamlcheck "$F/lkp/programs/mmapbench/meta.yaml" '
assert d["metadata"]["name"] == "mmapbench" and d["depends"] == "mmapbench"
run = open(sys.argv[1].replace("meta.yaml", "run")).read()
declared = re.findall(r"^# - (\w+)$", run, re.M)
assert sorted(declared) == sorted(d["params"]), (declared, list(d["params"]))'
yis "LKP meta.yaml parses; its params are the run script's # - lines"
nidx=$(grep -c . "$F/lkp/etc/index-perf-mmapbench.yaml")
yamlcheck "$F/lkp/etc/index-perf-mmapbench.yaml" '
assert d and all(v in (1, -1) for v in d.values())
for k in d: re.compile(k)
assert all(k.startswith("mmapbench\\.") for k in d)'
yis "LKP index-perf-mmapbench.yaml parses: regex keys, 1 or -1 ($nidx metrics)"
"$top/build/bench/mmapbench-export" --format mmtests \
	"$top/results/20261124T102607Z-7.3.4+deb13/results.json" 2>/dev/null | cut -f1 | sort -u >"$top/build/fleets-mm-metrics"
yamlcheck "$F/mmtests/shellpack_src/src/mmapbench/shellpack.yaml" '
p = d["mmapbench"]
assert p["default_metric"] in p["metrics"] and p["summarise"]
real = set(open(sys.argv[1].rsplit("/fleets/", 1)[0] + "/build/fleets-mm-metrics").read().split())
assert real and set(p["metrics"]) <= real, set(p["metrics"]) - real
idx = yaml.safe_load(open(sys.argv[1].rsplit("/fleets/", 1)[0] + "/fleets/lkp/etc/index-perf-mmapbench.yaml"))
for m in p["metrics"]:
	b, name = m.split(".", 1)
	want = 1 if p["higher_better"] else -1
	assert idx["mmapbench\\.%s\\..+\\.%s" % (b, re.escape(name))] == want, m'
yis "mmtests shellpack.yaml parses: its metrics are parse-results' own, of the direction it says"
rm -f "$top/build/fleets-mm-metrics"
# the checker can fail: a tab-indented copy and a wrong format string are rejected
sed 's/^    format:/\tformat:/' "$F/lava/automated/linux/mmapbench/mmapbench.yaml" >"$tmp/bad.yaml"
yamlcheck "$tmp/bad.yaml" 'pass'; r1=$?
sed 's/Definition 1.0/Definition 2.0/' "$F/lava/automated/linux/mmapbench/mmapbench.yaml" >"$tmp/bad2.yaml"
yamlcheck "$tmp/bad2.yaml" 'assert d["metadata"]["format"] == "Lava-Test Test Definition 1.0"'; r2=$?
is "a tab-indented YAML and a wrong format are rejected" "1 1" "$r1 $r2"
for f in "$F"/lkp/programs/mmapbench/{run,parse} "$F"/lava/automated/linux/mmapbench/mmapbench.sh \
	 "$F"/mmtests/shellpack_src/src/mmapbench/parse-results; do
	sh -n "$f" 2>"$tmp/err"
	yis "${f#"$top"/} parses as sh"
done

# LKP's run, its module build included, in the chroot against 7.3's headers.
abi=$("$top/scripts/build/kernel" resolve 7.3 2>/dev/null)
kdir=/usr/src/linux-headers-$abi-amd64
if [ -z "$abi" ] || [ ! -d "$("$top/scripts/build/chroot" path 2>/dev/null)$kdir" ] ||
   [ ! -x "$top/build/bench/mmapbench-export" ]; then
	n=$((n + 1)); echo "ok $n - LKP run builds the module # SKIP no chroot headers for 7.3 or no build/"
	n=$((n + 1)); echo "ok $n - LKP parse reads the run # SKIP"
else
	w=$top/build/fleets-test
	rm -rf "$w" && mkdir -p "$w/lkp-src/lib" "$w/bm/mmapbench/build" "$w/result"
	cat >"$w/lkp-src/lib/env.sh" <<'EOT'
# stand-in for lkp-tests' lib/env.sh; insmod recorded, not run (no module loading here)
log_cmd() { echo "$*"; [ "$1" = insmod ] || "$@"; }
die() { echo "$*" >&2; exit 1; }
EOT
	echo 'cd_benchmark() { cd "$BENCHMARK_ROOT/$testcase" || die "no $BENCHMARK_ROOT/$testcase"; }' \
		>"$w/lkp-src/lib/run.sh"
	cp -r "$top/build/bench" "$w/bm/mmapbench/build/bench"
	cp -r "$top/scripts" "$top/drivers" "$w/bm/mmapbench/"
	c=/src/build/fleets-test
	"$top/scripts/build/chroot" run env LKP_SRC=$c/lkp-src BENCHMARK_ROOT=$c/bm RESULT_ROOT=$c/result \
		testcase=mmapbench suite=quick LINUX_HEADERS_DIR=$kdir \
		sh "/src/fleets/lkp/programs/mmapbench/run" >"$w/result/mmapbench" 2>&1
	rc=$?
	ok=1
	[ $rc -eq 0 ] && [ -s "$w/bm/mmapbench/drivers/mmapbench/mmapbench.ko" ] &&
		grep -q "^make -C drivers/mmapbench KDIR=$kdir" "$w/result/mmapbench" &&
		grep -q '^insmod drivers/mmapbench/mmapbench.ko' "$w/result/mmapbench" && ok=0
	is "LKP run built mmapbench.ko against LINUX_HEADERS_DIR=$kdir and ran the quick suite" "0" \
		"$ok$( [ $ok = 0 ] || echo " (exit $rc): $(tail -3 "$w/result/mmapbench" | tr '\n' ' ')")"
	RESULT_ROOT=$w/result BENCHMARK_ROOT=$w/bm sh "$F/lkp/programs/mmapbench/parse" \
		<"$w/result/mmapbench" >"$w/result/stats" 2>"$tmp/err"
	rc=$?
	is "LKP parse reads the run: name: number lines" "0 0" \
		"$rc $(grep -cEv '^[A-Za-z0-9_.-]+: -?[0-9.]+([eE][-+]?[0-9]+)?$' "$w/result/stats")"
	rm -rf "$w"
fi
