#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The debug kernels' fragments (scripts/build/debug-kernel fragment): what scripts/build/kernel-tree
# will require of a KASAN or KCSAN tree, and what stays best effort.  No build, no guest.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/host/lib.sh"
echo "1..8"

dk=$top/scripts/build/debug-kernel
"$dk" fragment kasan >"$tmp/kasan.config"
"$dk" fragment kcsan >"$tmp/kcsan.config"
req() { MMAPBENCH_KCONFIG_FRAGMENT=$1 "$top/scripts/build/kernel-tree" required; }
req "$tmp/kasan.config" >"$tmp/kasan.req"
req "$tmp/kcsan.config" >"$tmp/kcsan.req"
"$top/scripts/build/kernel-tree" required >"$tmp/guest.req"

is "kasan: KASAN generic inline, lockdep and DEBUG_VM are required" \
	"CONFIG_KASAN=y CONFIG_KASAN_GENERIC=y CONFIG_KASAN_INLINE=y CONFIG_PROVE_LOCKING=y CONFIG_DEBUG_VM=y" \
	"$(grep -xE 'CONFIG_(KASAN|KASAN_GENERIC|KASAN_INLINE|PROVE_LOCKING|DEBUG_VM)=y' "$tmp/kasan.req" | paste -sd ' ' -)"
is "kasan: every option the guest requires is required too" "" \
	"$(grep -vxFf "$tmp/kasan.req" "$tmp/guest.req")"
is "kasan: DEBUG_VM_MAPLE_TREE and DEBUG_LIST are best effort, not required" "" \
	"$(grep -E 'DEBUG_VM_MAPLE_TREE|DEBUG_LIST' "$tmp/kasan.req")"
is "kasan: ... but in the fragment" 2 "$(grep -cxE 'CONFIG_(DEBUG_VM_MAPLE_TREE|DEBUG_LIST)=y' "$tmp/kasan.config")"
is "kasan: its release suffix comes last (merge_config: the last one wins)" 'CONFIG_LOCALVERSION="-mbdebug"' \
	"$(grep '^CONFIG_LOCALVERSION=' "$tmp/kasan.config" | tail -1)"
is "kcsan: KCSAN required, with every option the guest requires" "CONFIG_KCSAN=y|" \
	"$(grep -x 'CONFIG_KCSAN=y' "$tmp/kcsan.req")|$(grep -vxFf "$tmp/kcsan.req" "$tmp/guest.req")"
is "kcsan: no KASAN (KCSAN depends on !KASAN)" 0 "$(grep -c 'CONFIG_KASAN' "$tmp/kcsan.config")"
exits "debug-kernel with an unknown flavour: exit 2" 2 'usage: scripts/build/debug-kernel' "$dk" fragment kmsan
