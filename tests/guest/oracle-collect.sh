#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest (from run-all.sh): the kernel-side oracle around mapchunks, for
# each module device and profile and for secretmem.  Writes /out/oracle/NAME.json
# (the oracle's counts) and NAME.out (mapchunks' own VMA count); the host asserts.
mkdir -p /out/oracle
if ! oracle setup >/out/oracle/setup.log 2>&1; then
	echo "oracle setup failed" >/out/oracle/FAILED
	exit 0
fi
prof0=$(cat /sys/module/mmapbench/parameters/profile)
for prof in none dontdump special; do
	echo "$prof" >/sys/module/mmapbench/parameters/profile
	for dev in legacy prepare; do
		[ -e "/dev/mmapbench-$dev" ] || continue
		oracle count -o "/out/oracle/$dev-$prof.json" -- \
			mapchunks -n 16 -p 4 "/dev/mmapbench-$dev" >"/out/oracle/$dev-$prof.out" 2>&1
		echo "$?" >"/out/oracle/$dev-$prof.status"
	done
done
echo "$prof0" >/sys/module/mmapbench/parameters/profile
oracle count -o /out/oracle/secretmem.json -- mapchunks -n 16 -p 4 secretmem \
	>/out/oracle/secretmem.out 2>&1
echo "$?" >/out/oracle/secretmem.status
exit 0
