#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module's parameters, checked at load (busybox sh, TAP): bad values refuse the
# load with a message in dmesg, good ones take effect; a live mapping pins the
# module; the pool is zero at load.  Reloads the module many times and leaves it
# loaded with its default parameters.
ko=${MMAPBENCH_KO:-/lib/modules/mmapbench.ko}
# The module's names (drivers/mmapbench/mmapbench_abi.h), from the harness.
abi=$(mmapbench list --abi) || { printf '1..1\nnot ok 1 - mmapbench list --abi\n'; exit 1; }
eval "$abi"
P=$MMAPBENCH_PARAMS_DIR
mod=$MMAPBENCH_MODULE dev_l=$MMAPBENCH_DEV_LEGACY_PATH dev_p=$MMAPBENCH_DEV_PREPARE_PATH
pool=$MMAPBENCH_PARAM_POOL_MB devmode=$MMAPBENCH_PARAM_DEV_MODE mappages=$MMAPBENCH_PARAM_MAP_PAGES
profile=$MMAPBENCH_PARAM_PROFILE hook=$MMAPBENCH_PARAM_HOOK
dflt=$MMAPBENCH_PROFILE_DEFAULT pool0=$MMAPBENCH_POOL_MB_DEFAULT pmax=$MMAPBENCH_POOL_MB_MAX
mode0=$MMAPBENCH_DEV_MODE_DEFAULT
# ok, skipn N WHAT WHY, check DESC CMD...: tests/tap.sh, beside this file in the image
. "$(dirname "$0")/tap.sh"
loaded() { [ -d "$MMAPBENCH_SYSFS_DIR" ]; }
unload() { ! loaded || rmmod "$mod" 2>/dev/null; ! loaded; }
mode() { ls -l "$1" 2>/dev/null | cut -c1-10; }
cmode() {	# cmode OCTAL: what mode prints for a character device of permissions OCTAL
	m=$((0$1)) s=c
	for b in 256:r 128:w 64:x 32:r 16:w 8:x 4:r 2:w 1:x; do
		if [ $((m & ${b%:*})) -ne 0 ]; then s=$s${b#*:}; else s=$s-; fi
	done
	echo "$s"
}
param() { cat "$P/$1" 2>/dev/null; }

# Kernel messages printed since mark.
mark() { dmesg_at=$(dmesg | wc -l); }
newmsgs() { dmesg | tail -n +$((dmesg_at + 1)); }

# refused ARGS PATTERN: insmod ARGS fails, leaves nothing loaded, and dmesg matches PATTERN.
refused() {
	unload
	mark
	# shellcheck disable=SC2086 # ARGS is a list of parameters
	insmod "$ko" $1 >/dev/null 2>&1
	rc=$?
	if [ $rc -ne 0 ] && ! loaded; then ok 0 "insmod $1 is refused"; else ok 1 "insmod $1 is refused (status $rc)"; fi
	msg=$(newmsgs | grep -m1 -E "$2")
	if [ -n "$msg" ]; then ok 0 "... dmesg says why: $msg"; else
		ok 1 "... dmesg says why (want /$2/)"
		newmsgs | sed 's/^/# dmesg: /'
	fi
	unload
}

# load ARGS: insmod ARGS must succeed.
load() {
	unload
	# shellcheck disable=SC2086 # ARGS is a list of parameters
	insmod "$ko" $1 >/dev/null 2>&1
	ok $? "insmod ${1:-(defaults)} loads"
}

# The plan first: 81 claims, 7 more for the prepare device where the kernel has the
# new hook (MB_EXPECT_HOOK, else the loaded module's hook parameter).
prepare=0
[ "${MB_EXPECT_HOOK:-$(param "$hook")}" != "$MMAPBENCH_HOOK_NONE" ] && prepare=1
echo "1..$((81 + 7 * prepare))"
check "the module is loaded at the start" loaded
check "rmmod with no user succeeds" unload

refused "$profile=bogus" "$profile=bogus: unknown"
refused "$profile=" "$profile=: unknown"
refused "$pool=0" "$pool=0: must be 1-$pmax"
refused "$pool=$((pmax + 1))" "$pool=$((pmax + 1)): must be 1-$pmax"
refused "$pool=100000" "$pool=100000: must be 1-$pmax"
refused "$pool=-1" "$pool|invalid"
refused "$devmode=abc" "$devmode=abc: want permission bits only"
refused "$devmode=0" "$devmode=0: want permission bits only"
refused "$devmode=0888" "$devmode=0888: want permission bits only"
refused "$devmode=01777" "$devmode=01777: want permission bits only"
refused "$mappages=maybe" "$mappages"

# A pool the machine cannot spare, within what pool_mb accepts: the load fails with
# ENOMEM and the module's own message, quietly (no allocation-failure report, no
# warning, no OOM killer), and a normal load works afterwards.  Sizes: more than all
# of RAM, more than is available, and less than that but more than the 3/4 of it the
# module allows (allocating it would leave the rest of the kernel nothing: before the
# limit, pool_mb=1895 on a 2 GiB guest made kthreadd call the OOM killer, which found
# nothing left to kill and panicked).
splat='page allocation failure|vmalloc error|WARNING|Call Trace|BUG:|oom-kill|Out of memory|invoked oom'
toobig() {	# toobig POOL_MB WHY
	unload
	mark
	insmod "$ko" "$pool=$1" >/tmp/insmod.err 2>&1
	rc=$?
	[ $rc -ne 0 ] && ! loaded && grep -q 'Cannot allocate memory' /tmp/insmod.err
	ok $? "$pool=$1 ($2): the load fails with ENOMEM ($(cat /tmp/insmod.err))"
	msg=$(newmsgs | grep -m1 "$mod: cannot allocate a $1 MiB pool")
	[ -n "$msg" ]
	ok $? "... dmesg says why: $msg"
	newmsgs | grep -E "$splat" >/tmp/splat.txt
	[ ! -s /tmp/splat.txt ]
	ok $? "... and nothing else: no allocation failure report, warning or OOM kill"
	sed 's/^/# dmesg: /' /tmp/splat.txt | head -20
	load "$pool=4"
}
ram_mb=$(( $(sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo) / 1024 ))
free_mb=$(( $(sed -n 's/^MemAvailable: *\([0-9]*\) kB$/\1/p' /proc/meminfo) / 1024 ))
echo "# RAM ${ram_mb} MiB, available ${free_mb} MiB, $pool accepts 1-$pmax"
if [ "$ram_mb" -lt "$pmax" ]; then
	toobig "$pmax" "the maximum, more than the ${ram_mb} MiB of RAM"
	toobig $((ram_mb + 1)) "just more than the ${ram_mb} MiB of RAM"
	if [ $((free_mb + 64)) -lt "$ram_mb" ]; then
		toobig $(( (free_mb + ram_mb) / 2 )) "more than the ${free_mb} MiB available"
	else
		skipn 4 "$pool between available and RAM" \
			"available memory (${free_mb} MiB) too close to RAM (${ram_mb} MiB)"
	fi
	toobig $((free_mb * 7 / 8)) "7/8 of the ${free_mb} MiB available"
else
	skipn 16 "$pool larger than RAM" "RAM (${ram_mb} MiB) is above $pool's maximum ($pmax)"
fi

# Good values take effect.
load ""
[ "$(mode "$dev_l")" = "$(cmode "$mode0")" ]
ok $? "default mode of $dev_l is $mode0 ($(mode "$dev_l"))"
if [ $prepare = 1 ]; then
	[ "$(mode "$dev_p")" = "$(cmode "$mode0")" ]
	ok $? "default mode of $dev_p is $mode0 ($(mode "$dev_p"))"
fi
[ "$(param "$devmode")" = "$mode0" ]
ok $? "parameter $devmode reads $mode0 ($(param "$devmode"))"
[ "$(param "$profile")" = "$dflt" ] && [ "$(param "$pool")" = "$pool0" ]
ok $? "defaults: $profile $dflt, $pool $pool0 ($(param "$profile"), $(param "$pool"))"

load "$devmode=0660 $pool=4"
[ "$(mode "$dev_l")" = "$(cmode 0660)" ]
ok $? "$devmode=0660: $dev_l is $(cmode 0660) ($(mode "$dev_l"))"
if [ $prepare = 1 ]; then
	[ "$(mode "$dev_p")" = "$(cmode 0660)" ]
	ok $? "$devmode=0660: $dev_p is $(cmode 0660) ($(mode "$dev_p"))"
fi
[ "$(param "$devmode")" = 0660 ]
ok $? "$devmode=0660: the parameter reads 0660 ($(param "$devmode"))"

load "$profile=$MMAPBENCH_PROFILE_SPECIAL $pool=1"
[ "$(param "$profile")" = "$MMAPBENCH_PROFILE_SPECIAL" ] && [ "$(param "$pool")" = 1 ]
ok $? "$profile=$MMAPBENCH_PROFILE_SPECIAL $pool=1: the parameters read so ($(param "$profile"), $(param "$pool"))"

mark
load "no_such_param=1 $pool=4"
newmsgs | grep -q "unknown parameter 'no_such_param' ignored"
ok $? "... an unknown parameter is ignored, with a message"

# The writable parameters refuse what they cannot take; the read-only ones refuse all.
# (A small pool where its size does not matter: each load zeroes it, slowly under TCG.)
load "$pool=4"
upper=$(echo "$MMAPBENCH_PROFILE_NONE" | tr a-z A-Z)
for v in bogus "$upper" "" "$MMAPBENCH_PROFILE_NONE $MMAPBENCH_PROFILE_DONTDUMP"; do
	(echo "$v" >"$P/$profile") 2>/dev/null
	rc=$?
	[ $rc -ne 0 ] && [ "$(param "$profile")" = "$dflt" ]
	ok $? "writing '$v' to $profile is refused, the $profile stays $dflt"
done
for v in $(echo "$MMAPBENCH_PROFILES" | tr , ' '); do
	echo "$v" >"$P/$profile" 2>/dev/null
	[ "$(param "$profile")" = "$v" ]
	ok $? "writing '$v' to $profile takes effect"
done
echo "$dflt" >"$P/$profile"
(echo maybe >"$P/$mappages") 2>/dev/null
[ $? -ne 0 ] && [ "$(param "$mappages")" = N ]
ok $? "writing 'maybe' to $mappages is refused"
echo 1 >"$P/$mappages" && r=$(param "$mappages") && echo 0 >"$P/$mappages"
[ "$r" = Y ] && [ "$(param "$mappages")" = N ]
ok $? "$mappages takes 1 and 0"
for p in "$hook" "$pool" "$devmode"; do
	before=$(param "$p")
	(echo 1 >"$P/$p") 2>/dev/null
	rc=$?
	[ $rc -ne 0 ] && [ "$(param "$p")" = "$before" ]
	ok $? "the read-only parameter $p refuses a write"
done

# A live mapping, and only a mapping (its fd is closed), pins the module.
holdtest() {	# holdtest DEV
	rm -f /tmp/hold.ready
	t_badinput hold "$1" /tmp/hold.ready &
	pid=$!
	i=0
	while [ ! -e /tmp/hold.ready ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	check "$1: a process holds a mapping (fd closed)" [ -e /tmp/hold.ready ]
	rmmod "$mod" 2>/dev/null
	[ $? -ne 0 ] && loaded
	ok $? "$1: rmmod while the mapping is live is refused"
	[ "$(cat "$MMAPBENCH_SYSFS_DIR/refcnt")" -ge 1 ]
	ok $? "$1: ... the module's refcnt counts it ($(cat "$MMAPBENCH_SYSFS_DIR/refcnt"))"
	kill $pid
	wait $pid 2>/dev/null
	i=0
	until rmmod "$mod" 2>/dev/null; do
		i=$((i + 1))
		[ $i -ge 10 ] && break
		sleep 0.1
	done
	! loaded
	ok $? "$1: after the holder exits, rmmod succeeds (retries: $i)"
}
load "$pool=4"
holdtest "$dev_l"
if [ $prepare = 1 ]; then
	load "$pool=4"
	holdtest "$dev_p"
fi

# Pool pages a pipe still holds (vmsplice) outlive the module: rmmod is allowed (no
# file, no mapping left), and reading the pipe afterwards returns the page intact.
load "$pool=4"
rm -f /tmp/splice.ready /tmp/splice.go
t_badinput splice "$dev_l" /tmp/splice.ready /tmp/splice.go &
pid=$!
i=0
while [ ! -e /tmp/splice.ready ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "a pool page is in a pipe, its mapping and fd gone" [ -e /tmp/splice.ready ]
check "... rmmod succeeds: the pipe holds the page, not the module" unload
touch /tmp/splice.go
wait $pid
ok $? "... after rmmod the pipe still reads the page's data"

# Pool pages are zero at load: dirty the pool, reload, read every page.
load "$pool=4"
check "$pool=4: every page of a fresh pool reads zero" t_badinput zero-pool
check "... fill the pool with 0xff" t_badinput fill-pool 0xff
t_badinput zero-pool >/dev/null; [ $? = 1 ]
ok $? "... then the zero check sees the dirty pool"
load "$pool=4"
check "after a reload every page reads zero again" t_badinput zero-pool

# Other tests follow: leave the defaults.
load ""
[ "$(param "$profile")" = "$dflt" ] && [ "$(param "$pool")" = "$pool0" ] && [ -c "$dev_l" ]
ok $? "re-insmod with defaults works: $profile $dflt, $pool $pool0, the devices are back"
[ $failed -gt 100 ] && failed=100
exit $failed
