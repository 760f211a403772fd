#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest (the `make check` job): every test program, TAP into /out/tap/,
# then a quick storm whose results.json the host checks.
mkdir -p /out/tap
# Fixed seeds: t_fuzz and t_race otherwise seed from CLOCK_REALTIME, which under icount is a
# function of the guest image, so every unrelated change to a binary picked new ops (one
# such seed gave a double fault on 6.12: results/20261204T203828Z-check-6.12-t_fuzz-double-fault).
# make fuzz explores seeds.
export MB_FUZZ_SEED="${MB_FUZZ_SEED:-1}" MB_RACE_SEED="${MB_RACE_SEED:-1}"
for t in /opt/mmapbench/bin/t_*; do
	name=$(basename "$t")
	"$t" >"/out/tap/$name.tap" 2>&1
	echo "# exit status $?" >>"/out/tap/$name.tap"
done
for t in /opt/mmapbench/tests/*.t.sh; do	# shell tests, TAP too
	[ -f "$t" ] || continue
	name=$(basename "$t" .t.sh)
	sh "$t" >"/out/tap/$name.tap" 2>&1
	echo "# exit status $?" >>"/out/tap/$name.tap"
done
sh /opt/mmapbench/tests/oracle-collect.sh
mmapbench run --suite quick -o /out/storm.json >/out/storm.log 2>&1
echo $? >/out/storm.status
exit 0
