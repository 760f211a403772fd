#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The download cache under faults: a missing package, a failed download and a full
# disk make scripts/build/kernel and scripts/build/chroot fail with a message that names what is
# missing, leave nothing partial the next run would trust, and the next run, the fault
# removed, succeeds.  Each case gets its own cache (MMAPBENCH_CACHE) in a temporary
# directory, seeded from the real cache (read only): its package lists and kernel
# packages, so that little is downloaded (linux-kbuild, 1.5 MB, three times).  Full
# disks are small tmpfs mounts and the unreachable mirror an /etc/hosts bind mount,
# both in a private mount namespace.  Needs root; skipped without a seeded real cache.
set -u
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (mounts)"; exit 0; }
[ -n "${MB_CACHE_T_NS:-}" ] || MB_CACHE_T_NS=1 exec unshare -m --propagation private bash "$0" "$@"

top=$(cd "$(dirname "$0")/../.." && pwd)
src=${MMAPBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmapbench}
unset MMAPBENCH_CACHE MMAPBENCH_MIRROR
tmp=$(mktemp -d)
mounts=()
cleanup() {
	local m
	for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

# A kernel whose three header packages are cached, and the package lists: a backports
# kernel if there is one, as apt reads its list (1 MB, not 40) in no time.
abi="" lists=""
for d in "$src"/kernels/*/debs; do
	a=$(basename "$(dirname "$d")")
	compgen -G "$d/linux-kbuild-${a}_*.deb" >/dev/null &&
		compgen -G "$d/linux-headers-$a-common_*.deb" >/dev/null &&
		compgen -G "$d/linux-headers-$a-amd64_*.deb" >/dev/null || continue
	if compgen -G "$d/linux-kbuild-${a}_*~bpo*.deb" >/dev/null &&
		compgen -G "$src/apt/lists/*_trixie-backports_main_binary-amd64_Packages*" >/dev/null; then
		abi=$a lists="$src/apt/lists/*_trixie-backports_*"
		break
	fi
	[ -n "$abi" ] || abi=$a lists="$src/apt/lists/*_Packages* $src/apt/lists/*InRelease"
done
if [ -z "$abi" ] || ! compgen -G "$src/apt/lists/*_Packages*" >/dev/null; then
	echo "1..0 # SKIP no kernel packages or package lists in $src yet (make check fetches them)"
	exit 0
fi
spec=$(sed 's/^\([0-9]*\.[0-9]*\).*/\1/' <<<"$abi")
mirror=$(cat "$src/apt/lists/.updated" 2>/dev/null)
mirror=${mirror:-http://deb.debian.org/debian}
host=${mirror#*://}; host=${host%%/*}; host=${host%%:*}
bogus=http://127.0.0.1:9/debian
# Lists older than apt's refresh period may name packages the mirror no longer has.
online=1
[ -z "$(find "$src/apt/lists/.updated" -mmin +720 2>/dev/null)" ] || online=""
# One try per fetch, not apt's default retries with back-off: the faults are certain.
printf 'Acquire::Retries "0";\n' >"$tmp/apt.conf"
export APT_CONFIG=$tmp/apt.conf
# shellcheck disable=SC2086 # a list of globs
mkdir "$tmp/lists" && cp -a $lists "$tmp/lists/" || exit 1

# pass, fail DESC [DIAG...], skip WHY, check DESC CMD...: tests/tap.sh
. "$top/tests/tap.sh"
plan 36	# the plan first: a run that stops early fails
# re TEXT: TEXT as an extended regular expression that matches only itself
re() { sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$1"; }
# fails DESC PATTERN CMD...: CMD exits non-zero and its stderr matches PATTERN
fails() {
	local d=$1 pat=$2 rc=0; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	if [ $rc -ne 0 ] && grep -qE "$pat" "$tmp/err"; then pass "$d"
	else fail "$d" "exit $rc, want non-zero and /$pat/; stderr:" "$(head -c 600 "$tmp/err")"; fi
}
# works DESC CMD...: CMD exits 0
works() {
	local d=$1 rc=0; shift
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	if [ $rc -eq 0 ]; then pass "$d"; else fail "$d" "exit $rc; stderr:" "$(head -c 600 "$tmp/err")"; fi
}
# seed DIR: a cache with the package lists, fresh (no update), from MIRROR
seed() {
	mkdir -p "$1/apt/lists"
	cp -a "$tmp"/lists/* "$1/apt/lists/"
	echo "$mirror" >"$1/apt/lists/.updated"
}
# headers-debs DIR [PKG...]: copy these of ABI's cached header packages into DIR's cache
headers_debs() {
	local c=$1 p; shift
	mkdir -p "$c/kernels/$abi/debs"
	for p in "$@"; do cp "$src/kernels/$abi/debs/${p}"_*.deb "$c/kernels/$abi/debs/"; done
}
tmpfs() {	# tmpfs DIR SIZE
	mkdir -p "$1" && mount -t tmpfs -o "size=$2" mmapbench-test "$1" && mounts+=("$1")
}
nodeb() { ! compgen -G "$1/*.deb" >/dev/null; }
noleft() { [ -z "$(find "$1" -maxdepth 1 -name 'dl.*')" ]; }
fake_chroot() { local r; r=$(MMAPBENCH_CACHE=$1 "$top/scripts/build/chroot" path) && mkdir -p "$r" && touch "$r/.complete"; }

K=$top/scripts/build/kernel
abi_re=$(re "$abi")
C=$top/scripts/build/chroot
echo "# seeded from $src: kernel $abi, lists from $mirror"

# --- a missing package: an unknown kernel ---
export MMAPBENCH_CACHE=$tmp/missing
seed "$MMAPBENCH_CACHE"
fails "missing: kernel resolve of an unknown version names it" \
	'no Debian kernel matches KERNEL=9\.99' "$K" resolve 9.99
fails "missing: kernel fetch-headers names the unknown packages" \
	'could not download linux-headers-9\.99\.1\+deb13-amd64 .*Unable to locate package linux-' \
	"$K" fetch-headers 9.99.1+deb13
check "... and leaves no package and no download directory" \
	eval 'nodeb "$MMAPBENCH_CACHE/kernels/9.99.1+deb13/debs" && noleft "$MMAPBENCH_CACHE"'
fails "missing: kernel fetch-image names the unknown package" \
	'could not download linux-image-9\.99\.1\+deb13-amd64-unsigned' "$K" fetch-image 9.99.1+deb13
check "... and leaves no vmlinuz" \
	eval '! compgen -G "$MMAPBENCH_CACHE/kernels/9.99.1+deb13/vmlinuz*" >/dev/null && noleft "$MMAPBENCH_CACHE"'
fake_chroot "$MMAPBENCH_CACHE"
root=$("$C" path)
fails "missing: chroot headers names the unknown package" \
	'could not download linux-headers-9\.99\.1\+deb13-amd64' "$C" headers 9.99.1+deb13
check "... and marks nothing installed" eval '[ ! -e "$root/.headers-9.99.1+deb13" ]'
works "... the same cache then resolves KERNEL=$spec" "$K" resolve "$spec"
check "... to a kernel of that version ($(cat "$tmp/out"))" grep -q "^$spec[.+]" "$tmp/out"

# --- a failed download: the mirror ---
export MMAPBENCH_CACHE=$tmp/mirror
fails "bogus mirror: kernel resolve says the lists could not be fetched, from where" \
	"cannot fetch the package lists from $(re "$bogus"): .*127\.0\.0\.1:9" \
	env MMAPBENCH_MIRROR=$bogus "$K" resolve "$spec"
check "... and leaves no lists and no stamp: the next run updates" \
	eval '[ ! -e "$MMAPBENCH_CACHE/apt/lists/.updated" ] && ! compgen -G "$MMAPBENCH_CACHE/apt/lists/*_Packages*" >/dev/null'
seed "$MMAPBENCH_CACHE"
fails "a changed mirror is updated from, not matched to the old one's lists" \
	"cannot fetch the package lists from $(re "$bogus")" env MMAPBENCH_MIRROR=$bogus "$K" resolve "$spec"
check "... the lists and the stamp of the old mirror are kept" \
	eval '[ "$(cat "$MMAPBENCH_CACHE/apt/lists/.updated")" = "$mirror" ] &&
		[ -z "$(diff -r "$tmp/lists" "$MMAPBENCH_CACHE/apt/lists" | grep -v "^Only in $MMAPBENCH_CACHE/apt/lists")" ]'
works "... and back on the real mirror, they are used again" env MMAPBENCH_MIRROR="$mirror" "$K" resolve "$spec"
export MMAPBENCH_CACHE=$tmp/chroot-mirror
fails "bogus mirror: chroot ensure names the mirror and the error" \
	"mmdebstrap failed \\(mirror $(re "$bogus")\\): " env MMAPBENCH_MIRROR=$bogus "$C" ensure
check "... and leaves no chroot, complete or not: the next run builds it" \
	eval '[ -z "$(find "$MMAPBENCH_CACHE" -maxdepth 1 -name "chroot-trixie-*")" ]'

# --- a failed download: a package, the mirror unreachable ---
export MMAPBENCH_CACHE=$tmp/unreachable
seed "$MMAPBENCH_CACHE"
headers_debs "$MMAPBENCH_CACHE" "linux-headers-$abi-amd64" "linux-headers-$abi-common"
debs=$MMAPBENCH_CACHE/kernels/$abi/debs
if [[ "$host" =~ ^[0-9.]+$|^\[ ]]; then
	skip "unreachable mirror: the mirror $mirror is an address: /etc/hosts cannot make it unreachable"
	skip "... and leaves no partial package: the mirror $mirror is an address"
else
	printf '127.0.0.1 %s\n::1 %s\n' "$host" "$host" >"$tmp/hosts"
	mount --bind "$tmp/hosts" /etc/hosts && mounts+=(/etc/hosts)
	fails "unreachable mirror: fetch-headers names the package and the fetch that failed" \
		"could not download linux-kbuild-$abi_re from $(re "$mirror"): Failed to fetch .*linux-kbuild" "$K" fetch-headers "$abi"
	umount /etc/hosts
	check "... and leaves no partial package, no download directory" \
		eval '[ "$(ls "$debs" | wc -l)" = 2 ] && noleft "$MMAPBENCH_CACHE"'
fi
if [ -n "$online" ]; then
	works "... the mirror back, the same cache downloads it" "$K" fetch-headers "$abi"
	check "... a whole package" eval 'dpkg-deb -I "$debs"/linux-kbuild-"$abi"_*.deb >/dev/null && noleft "$MMAPBENCH_CACHE"'
else
	for c in "the mirror back, downloads it" "a whole package"; do
		skip "$c: the cached package lists are older than 12 h: no download from them"
	done
fi

# --- a full disk ---
# Downloading: room for the lists and two header packages, not the third.
export MMAPBENCH_CACHE=$tmp/full-dl
lists_kb=$(du -sk "$tmp/lists" | cut -f1)
debs_kb=$(du -ck "$src/kernels/$abi/debs/linux-headers-$abi"-*.deb | tail -1 | cut -f1)
all_kb=$(du -ck "$src/kernels/$abi/debs/"*.deb | tail -1 | cut -f1)
tmpfs "$MMAPBENCH_CACHE" "$((lists_kb + debs_kb + 400))k"
seed "$MMAPBENCH_CACHE"
headers_debs "$MMAPBENCH_CACHE" "linux-headers-$abi-amd64" "linux-headers-$abi-common"
debs=$MMAPBENCH_CACHE/kernels/$abi/debs
if [ -n "$online" ]; then
	fails "full disk: fetch-headers names the package and says the disk is full" \
		"could not download linux-kbuild-$abi_re .*No space left" "$K" fetch-headers "$abi"
	check "... and leaves no partial package, no download directory" \
		eval '[ "$(ls "$debs" | wc -l)" = 2 ] && noleft "$MMAPBENCH_CACHE"'
	mount -o remount,size=$((lists_kb + debs_kb + 8192))k "$MMAPBENCH_CACHE"
	works "... with room, the same cache downloads it" "$K" fetch-headers "$abi"
	check "... a whole package" eval 'dpkg-deb -I "$debs"/linux-kbuild-"$abi"_*.deb >/dev/null'
else
	for c in "full disk: fetch-headers says so" "no partial package" "with room, downloads it" \
		"a whole package"; do
		skip "$c: the cached package lists are older than 12 h: no download from them"
	done
fi

# Unpacking a kernel image: a small fake package (no download), room for it but not
# for the vmlinuz it holds.
fake=9.9.9+test
pkgdir=$tmp/fakepkg
mkdir -p "$pkgdir/DEBIAN" "$pkgdir/boot"
head -c 3M /dev/urandom >"$pkgdir/boot/vmlinuz-$fake-amd64"
printf 'Package: linux-image-%s-amd64-unsigned\nVersion: 1\nArchitecture: amd64\nMaintainer: mmapbench tests <nobody@example.org>\nDescription: a fake kernel image for cache.t.sh\n' \
	"$fake" >"$pkgdir/DEBIAN/control"
fakedeb=$tmp/linux-image-$fake-amd64-unsigned_1_amd64.deb
dpkg-deb -Znone --build "$pkgdir" "$fakedeb" >/dev/null
export MMAPBENCH_CACHE=$tmp/full-img
tmpfs "$MMAPBENCH_CACHE" 4M
kdir=$MMAPBENCH_CACHE/kernels/$fake
mkdir -p "$kdir/debs" && cp "$fakedeb" "$kdir/debs/"
fails "full disk: fetch-image names the vmlinuz it could not write and why" \
	"cannot extract .*vmlinuz-$(re "$fake")-amd64 .* to $(re "$kdir")/vmlinuz: .*(No space left|Wrote only)" "$K" fetch-image "$fake"
check "... and leaves no vmlinuz, whole or partial; the package stays for the next run" \
	eval '! compgen -G "$kdir/vmlinuz*" >/dev/null && compgen -G "$kdir/debs/*.deb" >/dev/null'
mount -o remount,size=16M "$MMAPBENCH_CACHE"
works "... with room, the same cache unpacks it (no download)" "$K" fetch-image "$fake"
check "... the vmlinuz whole, the package gone" \
	eval 'cmp -s "$kdir/vmlinuz" "$pkgdir/boot/vmlinuz-$fake-amd64" && ! compgen -G "$kdir/debs/*.deb" >/dev/null'
export MMAPBENCH_CACHE=$tmp/damaged
kdir=$MMAPBENCH_CACHE/kernels/$fake
mkdir -p "$kdir/debs"
head -c 100000 "$fakedeb" >"$kdir/debs/$(basename "$fakedeb")"
fails "a damaged image package is named, and removed for the next run to download" \
	"linux-image-$(re "$fake")-amd64-unsigned_1_amd64\\.deb is damaged .*removed it" "$K" fetch-image "$fake"
check "... it is gone, and there is no vmlinuz" eval '! compgen -G "$kdir/debs/*.deb" >/dev/null && [ ! -e "$kdir/vmlinuz" ]'

# Unpacking headers into the chroot (a stand-in: the real one is not touched): room
# for the packages, not for what they hold.
export MMAPBENCH_CACHE=$tmp/full-headers
tmpfs "$MMAPBENCH_CACHE" "$((all_kb + 4096))k"
headers_debs "$MMAPBENCH_CACHE" "linux-headers-$abi-amd64" "linux-headers-$abi-common" "linux-kbuild-$abi"
fake_chroot "$MMAPBENCH_CACHE"
root=$("$C" path)
fails "full disk: chroot headers names the package it could not unpack and why" \
	"cannot unpack .*linux-.*$abi_re.*\\.deb into $(re "$root"): .*(No space left|Wrote only)" "$C" headers "$abi"
check "... and marks nothing installed" eval '[ ! -e "$root/.headers-$abi" ]'
mount -o remount,size=1G "$MMAPBENCH_CACHE"
works "... with room, the same cache installs them (no download)" "$C" headers "$abi"
check "... complete, and marked so" eval '[ -e "$root/.headers-$abi" ] && [ -f "$root/usr/src/linux-headers-$abi-amd64/Makefile" ]'

export MMAPBENCH_CACHE=$tmp/full-chroot
tmpfs "$MMAPBENCH_CACHE" 64M
fails "full disk: chroot ensure says how much room it needs and has, before downloading" \
	"needs about 1 GB free in $(re "$MMAPBENCH_CACHE"), 64M free" "$C" ensure
check "... and leaves no chroot" eval '[ -z "$(find "$MMAPBENCH_CACHE" -maxdepth 1 -name "chroot-trixie-*")" ]'
