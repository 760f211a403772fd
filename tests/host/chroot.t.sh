#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# scripts/build/chroot's build roots: which root builds a kernel's module (from the compiler
# its headers name), and that rebuilding one suite's root never drops another suite's.
# Fake headers and a fake mmdebstrap in a private cache: no downloads, no real chroot.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MMAPBENCH_CACHE=$tmp/cache
. "$top/tests/host/lib.sh"
plan 17
# kdir NAME FILE TEXT: a headers tree whose FILE (auto.conf or .config) names TEXT
kdir() {
	local d=$tmp/$1
	if [ "$2" = auto.conf ]; then
		mkdir -p "$d/include/config"
		printf 'CONFIG_CC_IS_GCC=y\nCONFIG_CC_VERSION_TEXT="%s"\nCONFIG_GCC_VERSION=1\n' "$3" \
			>"$d/include/config/auto.conf"
	else
		mkdir -p "$d"
		printf '# CONFIG_X is not set\nCONFIG_CC_VERSION_TEXT="%s"\n' "$3" >"$d/.config"
	fi
	echo "$d"
}
c=$top/scripts/build/chroot

is "suite-for: gcc-14 (Debian's 6.12 and 7.3) builds in trixie" trixie \
	"$("$c" suite-for "$(kdir k14 auto.conf 'x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0')")"
is "suite-for: gcc-16 (sid's 7.2) builds in sid" sid \
	"$("$c" suite-for "$(kdir k16 auto.conf 'x86_64-linux-gnu-gcc-16 (Debian 16.2.0-4) 16.2.0')")"
is "suite-for: another revision of gcc-16 is still gcc-16" sid \
	"$("$c" suite-for "$(kdir k16b auto.conf 'x86_64-linux-gnu-gcc-16 (Debian 16.3.0-1) 16.3.0')")"
is "suite-for: .config when there is no auto.conf" sid \
	"$("$c" suite-for "$(kdir k16c .config 'x86_64-linux-gnu-gcc-16 (Debian 16.2.0-4) 16.2.0')")"
exits "suite-for: gcc-99 is in no root: a clear error, exit 1" 1 \
	'built with x86_64-linux-gnu-gcc-99 .*no build root has gcc-99' \
	"$c" suite-for "$(kdir k99 auto.conf 'x86_64-linux-gnu-gcc-99 (Debian 99.1.0-1) 99.1.0')"
exits "suite-for: an unversioned gcc 12 is gcc-12, in no root: exit 1" 1 'no build root has gcc-12' \
	"$c" suite-for "$(kdir k12 .config 'gcc (Debian 12.2.0-14) 12.2.0')"
exits "suite-for: a clang kernel: a clear error, exit 1" 1 "built with 'Debian clang version 19\\.1\\.7 .*no build root has that compiler" \
	"$c" suite-for "$(kdir kclang auto.conf 'Debian clang version 19.1.7 (3+b1)')"
exits "suite-for: a directory without a config: exit 1" 1 'no CONFIG_CC_VERSION_TEXT' \
	"$c" suite-for "$tmp"
is "suite-for: decided without building or touching a root" "" "$(ls "$MMAPBENCH_CACHE" 2>/dev/null)"
exits "suite-for without KDIR: exit 2" 2 'usage: scripts/build/chroot suite-for' "$c" suite-for
exits "module without ABI: exit 2" 2 'usage: scripts/build/chroot module' "$c" module
exits "an unknown suite: exit 2" 2 "unknown suite 'bogus'" "$c" --suite bogus path
exits "--suite without a suite: exit 2" 2 usage "$c" --suite

tp=$("$c" path) sp=$("$c" --suite sid path)
is "path: trixie's root is chroot-trixie-KEY in the cache" ok \
	"$([[ "$tp" =~ ^$MMAPBENCH_CACHE/chroot-trixie-[0-9a-f]{12}$ ]] && echo ok)"
is "path: sid's root is chroot-sid-KEY in the cache" ok \
	"$([[ "$sp" =~ ^$MMAPBENCH_CACHE/chroot-sid-[0-9a-f]{12}$ ]] && echo ok)"

# ensure with a fake mmdebstrap (it only creates its target): older roots of the suite
# being built go, the other suite's stay.
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$tmp/bin" "$MMAPBENCH_CACHE"/chroot-{trixie,sid}-000000000000
	cat >"$tmp/bin/mmdebstrap" <<'EOF'
#!/bin/sh
for a; do case $a in *.tmp) mkdir -p "$a" ;; esac; done
EOF
	chmod +x "$tmp/bin/mmdebstrap"
	roots() { (cd "$MMAPBENCH_CACHE" && find . -maxdepth 1 -type d -name 'chroot-*' -printf '%f\n' | sort | paste -sd ' '); }
	PATH=$tmp/bin:$PATH "$c" --suite sid ensure 2>/dev/null
	is "ensure sid: drops sid's older root, builds the current one, keeps trixie's" \
		"chroot-sid-${sp##*-} chroot-trixie-000000000000" \
		"$(roots)"
	PATH=$tmp/bin:$PATH "$c" ensure 2>/dev/null
	is "ensure trixie: drops trixie's older root, keeps sid's current one" \
		"chroot-sid-${sp##*-} chroot-trixie-${tp##*-}" \
		"$(roots)"
else
	echo "ok $((n + 1)) - ensure sid keeps trixie's root # SKIP not root"
	echo "ok $((n + 2)) - ensure trixie keeps sid's root # SKIP not root"
	n=$((n + 2))
fi
