#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest (the `make check` job): every test program, TAP into /out/tap/,
# then a quick storm whose results.json the host checks.
mkdir -p /out/tap
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
