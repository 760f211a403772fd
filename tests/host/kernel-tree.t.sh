#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The user's own kernel: `make kernel` (scripts/build/kernel-tree) and KERNEL=<tree>, on a real
# tree (Debian's linux-source-7.3, tinyconfig + scripts/build/kconfig/guest.config: cached in
# $MMAPBENCH_CACHE/trees/, built here when missing: about 4 min on 2 idle cores), and
# the module through DKMS (scripts/host/dkms-check) against Debian's 7.3 headers.
#  - the tree's config check refuses a tree missing required options, naming each;
#    KERNEL=<that tree> never reaches a boot
#  - the cache key follows the source, the patches and the fragment
#  - a real boot of the tree (the quick suite): results.json and boot.env name the tree
#  - dkms add + build succeed, and the guest of that kernel loads what dkms built
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/host/lib.sh"
. "$top/scripts/lib.sh"
kt=$top/scripts/build/kernel-tree
echo "1..26"

# ---- bad arguments: exit 2 and a usage line (no downloads, no guests) ----
exits "kernel-tree without a verb: exit 2" 2 'usage: scripts/build/kernel-tree' "$kt"
exits "kernel-tree build without SRC: exit 2" 2 'usage: scripts/build/kernel-tree build' "$kt" build
exits "kernel-tree build SRC=debian:banana: exit 2" 2 "SRC=debian:VERSION" "$kt" build debian:banana
exits "kernel-tree check of no directory: exit 1, says so" 1 'no such directory' "$kt" check /nonexistent
exits "make kernel without SRC: exit 2, usage" 2 'usage: make kernel SRC=' make -s -C "$top" kernel
exits "ab without PATCHED: exit 2" 2 'usage: scripts/host/ab' "$top/scripts/host/ab" -b 7.3
exits "dkms-check without a kernel: exit 2" 2 'usage: scripts/host/dkms-check' "$top/scripts/host/dkms-check"

# ---- the tree ----
tree=$(cd "$top" && make -s kernel SRC=debian:7.3 2>"$tmp/build.err" | tail -1)
key=$("$kt" key debian:7.3)
is "make kernel SRC=debian:7.3 prints the tree, \$MMAPBENCH_CACHE/trees/<key>" \
	"$MMAPBENCH_CACHE/trees/$key" "$tree"
if [ ! -s "$tree/arch/x86/boot/bzImage" ]; then
	sed 's/^/# /' "$tmp/build.err"
	for i in $(seq $((n + 1)) 26); do echo "not ok $i - no kernel tree was built"; done
	exit 1
fi
is "the tree make kernel built passes the config check (exit 0)" 0 "$("$kt" check "$tree" >/dev/null 2>&1; echo $?)"

# ---- the config check: a real .config with options removed ----
bad=$tmp/bad-tree
mkdir -p "$bad/arch/x86/boot" "$bad/include/config"
cp "$tree/include/config/kernel.release" "$bad/include/config/"
ln -s "$tree/arch/x86/boot/bzImage" "$bad/arch/x86/boot/bzImage"
sed -e '/^CONFIG_KPROBES=y$/d' -e 's/^CONFIG_SERIAL_8250_CONSOLE=y$/# CONFIG_SERIAL_8250_CONSOLE is not set/' \
	-e '/^CONFIG_DEVTMPFS=y$/d' "$tree/.config" >"$bad/.config"
exits "check refuses a tree lacking 3 options: exit 1, 'lacks 3 option(s)'" 1 'lacks 3 option\(s\) the guest needs' \
	"$kt" check "$bad"
missing=$(sed -n 's/^  \(CONFIG_[A-Z0-9_]*\)$/\1/p' "$tmp/err" | sort | paste -sd ' ' -)
is "... and names each missing option, and only those" "CONFIG_DEVTMPFS CONFIG_KPROBES CONFIG_SERIAL_8250_CONSOLE" "$missing"
job=$tmp/job
echo 'true' >"$job"
exits "KERNEL=<that tree>: the guest runner refuses it before booting (exit 1, the list)" 1 \
	'CONFIG_SERIAL_8250_CONSOLE' "$top/scripts/qemu/boot" -k "$bad" -j "$job" -o "$tmp/bad-out"
is "... and wrote no result directory" no "$([ -e "$tmp/bad-out" ] && echo yes || echo no)"
exits "make bench KERNEL=<that tree> refuses it too (exit non-zero, the list)" 2 'CONFIG_KPROBES' \
	make -s -C "$top" bench KERNEL="$bad"

# ---- the cache key ----
frag=$tmp/guest.config
cp "$top/scripts/build/kconfig/guest.config" "$frag"
is "the key is the same for the same fragment in another file" "$key" \
	"$(MMAPBENCH_KCONFIG_FRAGMENT=$frag "$kt" key debian:7.3)"
echo 'CONFIG_USERFAULTFD=y' >>"$frag"
k2=$(MMAPBENCH_KCONFIG_FRAGMENT=$frag "$kt" key debian:7.3)
is "the key changes with the fragment" yes "$([ -n "$k2" ] && [ "$k2" != "$key" ] && echo yes || echo "no ($k2)")"
printf -- '--- a/README\n+++ b/README\n@@ -1 +1 @@\n-x\n+y\n' >"$tmp/p.patch"
k3=$("$kt" key -p "$tmp/p.patch" debian:7.3)
is "the key changes with a patch" yes "$([ -n "$k3" ] && [ "$k3" != "$key" ] && echo yes || echo "no ($k3)")"

# ---- a git tree: info names its describe and commit ----
g=$tmp/git-tree
mkdir -p "$g/arch/x86/boot" "$g/include/config" "$g/scripts"
cp "$tree/.config" "$tree/include/config/kernel.release" "$g/" && mv "$g/kernel.release" "$g/include/config/"
ln -s "$tree/arch/x86/boot/bzImage" "$g/arch/x86/boot/bzImage"
ln -s "$tree/scripts/module.lds" "$g/scripts/module.lds"
git -C "$g" init -q && git -C "$g" add .config && \
	git -C "$g" -c user.name=t -c user.email=t@t commit -q -m one && git -C "$g" tag v7.3-test
is "info of a git tree: tree_git_describe is git describe" "v7.3-test" \
	"$("$kt" info "$g" 2>/dev/null | sed -n 's/^tree_git_describe=//p')"
is "info of a git tree: tree_git_commit is HEAD" "$(git -C "$g" rev-parse HEAD)" \
	"$("$kt" info "$g" 2>/dev/null | sed -n 's/^tree_git_commit=//p')"

# ---- a real run on the tree: its results name it ----
id=$("$top/scripts/build/kernel" resolve "$tree")
is "KERNEL=<tree> resolves to tree-<12 hex> of its path and .config" \
	"tree-$({ echo "$tree"; cat "$tree/.config"; } | sha256sum | cut -c1-12)" "$id"
out=$tmp/run
printf '%s\n' 'run-suite --out /out --suite quick' >"$job"
rc=0
(cd "$top" && make -s guest-image ABI="$id" >"$tmp/image.log" 2>&1) || rc=$?
if [ $rc -eq 0 ]; then
	MMAPBENCH_NO_BUILD=1 "$top/scripts/qemu/boot" -k "$tree" -j "$job" -o "$out" -t 900 \
		>"$tmp/boot.log" 2>&1 || rc=$?
fi
is "the tree's guest booted, loaded the module and ran the quick suite" "0 0" \
	"$rc $(cat "$out/insmod.status" 2>/dev/null || echo none)"
[ $rc -eq 0 ] || { sed 's/^/# /' "$tmp/image.log" "$tmp/boot.log" | tail -n 20; }
jq() { if command -v jq >/dev/null 2>&1; then command jq "$@"; else "$top/scripts/build/chroot" exec jq "$@"; fi; }
jr() { jq -r "$1" "$out/results.json" 2>/dev/null; }
is "results.json: kernel_tree.path, .id, .release name the tree" \
	"$tree $id $(cat "$tree/include/config/kernel.release")" \
	"$(jr '[.kernel_tree.path, .kernel_tree.id, .kernel_tree.release] | join(" ")')"
is "results.json: kernel_tree.config_sha256 is the .config's, env.kernel_release the tree's" \
	"$(sha256sum <"$tree/.config" | cut -d' ' -f1) $(cat "$tree/include/config/kernel.release")" \
	"$(jr '[.kernel_tree.config_sha256, .env.kernel_release] | join(" ")')"
is "boot.env names the tree too (tree_id, tree_source)" "$id linux-source-7.3" \
	"$(sed -n 's/^tree_id=//p' "$out/boot.env" 2>/dev/null) $(sed -n 's/^tree_source=\(linux-source-7.3\) .*/\1/p' "$out/boot.env" 2>/dev/null)"

# ---- DKMS: a real dkms build against Debian's 7.3 headers, loaded in its guest ----
rc=0
"$top/scripts/host/dkms-check" -o "$tmp/dkms" 7.3 >"$tmp/dkms.out" 2>&1 || rc=$?
abi=$("$top/scripts/build/kernel" resolve 7.3)
is "dkms add + build against linux-headers-$abi-amd64: 'dkms status' says built" \
	"mmapbench/1.0, $abi-amd64, x86_64: built" "$(grep -m1 "^mmapbench/1.0, " "$tmp/dkms/dkms.log" 2>/dev/null)"
is "the $abi guest loaded exactly the module dkms built, and t_module passed" "0 0 $(cat "$tmp/dkms/mmapbench.ko.sha256" 2>/dev/null)" \
	"$rc $(cat "$tmp/dkms/guest/insmod.status" 2>/dev/null) $(cat "$tmp/dkms/guest/ko.sha256" 2>/dev/null)"
[ $rc -eq 0 ] || tail -n 15 "$tmp/dkms.out" | sed 's/^/# /'
