#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The LAVA test's script (mmapbench.yaml): get mmapbench, build and load its module,
# run the suite, write output/result.txt for send-to-lava.sh, one line a metric:
#   <bench>.<target>.<profile>.<params>.<metric> pass <median> <unit>
# and "<case> skip" for a case the kernel cannot run.  POSIX sh.
set -eu
OUTPUT="$(pwd)/output"
SUITE=default KDIR="" DIR="" GIT=""
usage() { echo "usage: $0 [-s SUITE] [-k KDIR] [-d MMAPBENCH_DIR] [-g GIT_URL]" >&2; exit 2; }
while getopts s:k:d:g: opt; do
	case $opt in
	s) SUITE=$OPTARG ;; k) KDIR=$OPTARG ;; d) DIR=$OPTARG ;; g) GIT=$OPTARG ;;
	*) usage ;;
	esac
done
rm -rf "$OUTPUT" && mkdir -p "$OUTPUT"

# mmapbench's tree: given, or cloned and built (libcpucycles-dev, libjansson-dev).
if [ -z "$DIR" ]; then
	DIR=$OUTPUT/src
	git clone --depth 1 "$GIT" "$DIR"
	make -C "$DIR/bench" BUILD="$DIR/build/bench"
fi
export PATH="$DIR/build/bench:$PATH"

# The module, against the box's headers, unless loaded already.
if ! grep -q '^mmapbench ' /proc/modules; then
	[ -n "$KDIR" ] || KDIR=/lib/modules/$(uname -r)/build
	[ -d "$KDIR" ] || { echo "mmapbench: no kernel headers at $KDIR" >&2; exit 1; }
	make -C "$DIR/drivers/mmapbench" KDIR="$KDIR"
	insmod "$DIR/drivers/mmapbench/mmapbench.ko"
fi

"$DIR/scripts/guest/run-suite" --suite "$SUITE" --out "$OUTPUT/mmapbench" >"$OUTPUT/summary.txt"
mmapbench-export --format lava -o "$OUTPUT/result.txt" "$OUTPUT/mmapbench/results.json"
