#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Named kernels (kernel-patches/NAME: KERNEL=6.12-rfc): which names are kernels, what
# each directory must hold, and that the patches are well-formed and checkpatch-clean
# (the last two need linux-source-6.12 in the cache: skipped before a build fetched it;
# the build itself refuses a patch that does not apply).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/host/lib.sh"
. "$top/scripts/lib.sh"

# The plan first: 5, then 2 per directory and 2 per patch, then checkpatch and
# patch --dry-run (one per patch, one per 6.12-rfc patch), or one skip without the source.
cache=${MMAPBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmapbench}
cp_pl=$(compgen -G "$cache/sources/linux-source-6.12_*/linux-source-6.12/scripts/checkpatch.pl" | head -1)
ndirs=$(compgen -G "$top/kernel-patches/*/" | wc -l)
npat=$(compgen -G "$top/kernel-patches/*/*.patch" | wc -l)
nrfc=$(compgen -G "$top/kernel-patches/6.12-rfc/*.patch" | wc -l)
if [ -n "$cp_pl" ] && command -v perl >/dev/null; then
	plan $((5 + 2 * ndirs + 2 * npat + npat + nrfc))
else
	plan $((5 + 2 * ndirs + 2 * npat + 1))
fi

named() { if mb_named_kernel "$1"; then echo yes; else echo no; fi; }
is "6.12-rfc is a named kernel" yes "$(named 6.12-rfc)"
is "6.12 is a Debian kernel, not a named one" no "$(named 6.12)"
is "7.3.4+deb13 is not a named kernel" no "$(named 7.3.4+deb13)"
is "a name without a kernel-patches directory is not one" no "$(named 6.12-nosuch)"
is "a path is not a name" no "$(named ../kernel-patches/6.12-rfc)"

for d in "$top"/kernel-patches/*/; do
	name=$(basename "$d")
	is "kernel-patches/$name/source says debian:X.Y" 1 \
		"$(grep -cxE 'debian:[0-9]+\.[0-9]+' "$d/source" 2>/dev/null)"
	pats=("$d"*.patch)
	is "kernel-patches/$name has at least one patch" yes "$([ -f "${pats[0]}" ] && echo yes || echo no)"
	for p in "${pats[@]}"; do
		[ -f "$p" ] || continue
		b=$(basename "$p")
		is "$name/$b: a mail header (From:, Subject: [PATCH])" 2 \
			"$(grep -cE '^(From: .+|Subject: \[PATCH[^]]*\] .+)$' "$p")"
		is "$name/$b: a description and a Signed-off-by before the diff" yes \
			"$(sed -n '/^---$/q;p' "$p" | grep -q '^Signed-off-by: ' && echo yes || echo no)"
	done
done

# checkpatch --strict from the cached source (scripts/build/kernel-tree's unpacked copy).
if [ -n "$cp_pl" ] && command -v perl >/dev/null; then
	for p in "$top"/kernel-patches/*/*.patch; do
		r=$(perl "$cp_pl" --no-tree --strict -q "$p" 2>&1 | grep -E '^total: ')
		is "$(basename "$p"): checkpatch --strict: no errors, warnings or checks" "" "$r"
	done
	src=$(dirname "$(dirname "$cp_pl")")
	for p in "$top"/kernel-patches/6.12-rfc/*.patch; do
		is "$(basename "$p") applies to $(basename "$(dirname "$src")")" 0 \
			"$(patch -d "$src" -p1 --dry-run -s <"$p" >/dev/null 2>&1; echo $?)"
	done
else
	n=$((n + 1)); echo "ok $n - checkpatch and patch --dry-run # SKIP no linux-source-6.12 in $cache/sources"
fi
