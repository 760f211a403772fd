#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# scripts/chroot's build roots: rebuilding one suite's root never drops another suite's.
# A fake mmdebstrap in a private cache: no downloads, no real chroot.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MMAPBENCH_CACHE=$tmp/cache
n=0
is() { # is DESC WANT GOT
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "# want: $2"; echo "# got:  $3"; fi
}
# exits DESC WANT-STATUS PATTERN CMD...: status and a stderr line matching PATTERN
exits() {
	local desc=$1 want=$2 pat=$3 rc=0; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	n=$((n + 1))
	if [ "$rc" = "$want" ] && grep -qE "$pat" "$tmp/err"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"; echo "# exit $rc (want $want); stderr: $(head -c 300 "$tmp/err")"
	fi
}
c=$top/scripts/chroot

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
echo "1..$n"
