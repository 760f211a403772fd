#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run TAP tests and add them up:  run.sh BUILD_DIR TEST...
# Each TEST's TAP goes to $TAPDIR/NAME.tap (default: a temporary directory) and to
# stdout; tests/tap-summary then counts them (plans, exit statuses) and prints the
# failures and "N passed, N failed, N skipped"; exits 1 on any failure.
set -u
build=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
MMAPBENCH=$(cd "$build" && pwd)/mmapbench
MMAPBENCH_SELFTEST=$(cd "$build" && pwd)/mmapbench-selftest
export MMAPBENCH MMAPBENCH_SELFTEST
tapdir=${TAPDIR:-}
if [ -z "$tapdir" ]; then
	tapdir=$(mktemp -d)
	trap 'rm -rf "$tapdir"' EXIT
fi
mkdir -p "$tapdir"
for t in "$@"; do
	name=$(basename "$t")
	echo "# $name"
	"$t" >"$tapdir/unit-$name.tap" 2>&1
	echo "# exit status $?" >>"$tapdir/unit-$name.tap"
	cat "$tapdir/unit-$name.tap"
done
"$here/../tap-summary" "$tapdir"/unit-*.tap
