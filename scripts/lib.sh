# SPDX-License-Identifier: GPL-2.0
# Shared glue for mmapbench's scripts: cache location, private apt, kernels.
# Sourced, never run.  Everything downloaded lives under $MMAPBENCH_CACHE.

MB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MMAPBENCH_CACHE=${MMAPBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmapbench}
MB_APT=$MMAPBENCH_CACHE/apt
MB_MIRROR=${MMAPBENCH_MIRROR:-http://deb.debian.org/debian}
MB_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() { printf 'mmapbench: error: %s\n' "$*" >&2; exit 1; }
usage_die() { printf 'mmapbench: %s\n' "$*" >&2; exit 2; }
log() { printf 'mmapbench: %s\n' "$*" >&2; }

# The harness's names for shell (make userland builds it): mb_abi NAME prints one of
# the module's names (drivers/mmapbench/mmapbench_abi.h: mmapbench list --abi);
# mb_selection NAME the words of a named selection (mmapbench list --selections).
MB_HARNESS=${MMAPBENCH:-$MB_TOP/build/bench/mmapbench}
mb_abi() {
	local line
	line=$("$MB_HARNESS" list --abi | grep "^$1='") || { log "no $1 in $MB_HARNESS list --abi"; return 1; }
	line=${line#*=\'}
	printf '%s\n' "${line%\'}"
}
mb_selection() { "$MB_HARNESS" list --selection "$1"; }
# mb_schema NAME: a result file's schema name (bench/lib/schemas.h: mmapbench list --schemas).
mb_schema() {
	local line
	line=$("$MB_HARNESS" list --schemas | grep "^$1='") || { log "no $1 in $MB_HARNESS list --schemas"; return 1; }
	line=${line#*=\'}
	printf '%s\n' "${line%\'}"
}

# need_root WHAT: fail clearly when a step needs root.
need_root() {
	[ "$(id -u)" = 0 ] || die "$1 needs root (run as root, or: sudo make ...)"
}

# host_need CMD:PKG...: install missing host tools with apt-get, or name them.
host_need() {
	local want=() pair
	for pair in "$@"; do
		command -v "${pair%%:*}" >/dev/null 2>&1 || want+=("${pair#*:}")
	done
	[ ${#want[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing host packages: ${want[*]} (install them: apt-get install ${want[*]})"
	log "installing host packages: ${want[*]}"
	local stamp=/var/lib/apt/lists/.mmapbench-updated
	if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +720 2>/dev/null)" ]; then
		apt-get update -q >/dev/null 2>&1 || log "apt-get update reported errors (continuing)"
		touch "$stamp" 2>/dev/null || :
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${want[@]}" >/dev/null ||
		die "apt-get install ${want[*]} failed"
}

# A private apt configuration: trixie, trixie-backports and sid, never the system's lists.
mb_apt_opts() {
	printf '%s\n' \
		-o "Dir::Etc::SourceList=$MB_APT/sources.list" \
		-o "Dir::Etc::SourceParts=/nonexistent" \
		-o "Dir::Etc::Preferences=/nonexistent" \
		-o "Dir::Etc::PreferencesParts=/nonexistent" \
		-o "Dir::State::Lists=$MB_APT/lists" \
		-o "Dir::State::status=/dev/null" \
		-o "Dir::Cache=$MB_APT/cache" \
		-o "APT::Architecture=amd64" \
		-o "APT::Sandbox::User=root" \
		-o "Debug::NoLocking=1"
}

mb_apt_update() {
	mkdir -p "$MB_APT/lists/partial" "$MB_APT/cache/archives/partial" || die "cannot create $MB_APT"
	local s
	for s in trixie trixie-backports sid; do
		echo "deb [signed-by=$MB_KEYRING] $MB_MIRROR $s main"
	done >"$MB_APT/sources.list.$$" && mv "$MB_APT/sources.list.$$" "$MB_APT/sources.list" ||
		die "cannot write $MB_APT/sources.list (disk: $(mb_df "$MB_APT") free)"
	# Refresh at most every 12 hours, and when the mirror changed: apt keeps the
	# archive's timestamps on its lists, so a stamp of our own holds the time and the
	# mirror (empty: a stamp from before the mirror was recorded).  It is written only
	# when every list arrived: a failed update is retried by the next run.
	local stamp=$MB_APT/lists/.updated same=""
	[ -e "$stamp" ] && { [ ! -s "$stamp" ] || [ "$(cat "$stamp")" = "$MB_MIRROR" ]; } && same=1
	[ -n "$same" ] && [ -z "$(find "$stamp" -mmin +720)" ] && return 0
	log "updating the private package lists from $MB_MIRROR (trixie, trixie-backports, sid)"
	# shellcheck disable=SC2046
	if apt-get $(mb_apt_opts) -o APT::Update::Error-Mode=any -q update >"$MB_APT/update.log" 2>&1; then
		echo "$MB_MIRROR" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp" ||
			die "cannot write $stamp (disk: $(mb_df "$MB_APT") free)"
		return 0
	fi
	local why
	why=$(grep -m1 -E '^[EW]: ' "$MB_APT/update.log" 2>/dev/null | cut -c4-)
	if [ -n "$same" ] && compgen -G "$MB_APT/lists/*_Packages*" >/dev/null; then
		log "apt-get update failed (${why:-see $MB_APT/update.log}); using the package lists from before"
		return 0
	fi
	die "cannot fetch the package lists from $MB_MIRROR: ${why:-apt-get update failed} (see $MB_APT/update.log; disk: $(mb_df "$MB_APT") free)"
}

# mb_df PATH: the space left on PATH's file system, e.g. 74G.
mb_df() {
	df -h --output=avail "$1" 2>/dev/null | tail -1 | tr -d ' '
}

mb_apt_cache() {
	# shellcheck disable=SC2046
	apt-cache $(mb_apt_opts) "$@"
}

# mb_kernel_spec SPEC: a usage error unless SPEC looks like a kernel version, a kernel
# tree (a path: KERNEL=<tree>) or the id a tree was registered under (tree-<hex>).
mb_kernel_spec() {
	case "$1" in
	[0-9]*.[0-9]*) ;;
	*/* | tree-[0-9a-f]*) ;;
	*) [ -d "$1" ] || usage_die "KERNEL must look like 6.12, 7.3, 7.3.4+deb13 or a built kernel tree's path, not '$1'" ;;
	esac
}

# mb_is_tree SPEC: true when SPEC names a kernel tree (a path) rather than a version.
mb_is_tree() {
	case "$1" in */* | .* ) return 0 ;; esac
	[[ ! "$1" =~ ^[0-9] ]] && [ -d "$1" ] && [ -e "$1/Makefile" ]
}

# mb_tree_kdir ABI: the built tree a tree-<hex> ABI was registered for (scripts/build/kernel
# resolve), or fails for any other ABI.
mb_tree_kdir() {
	case "$1" in tree-*) ;; *) return 1 ;; esac
	[ -s "$MMAPBENCH_CACHE/kernels/$1/kdir" ] || die "unknown kernel tree $1 (KERNEL=<path of the tree> registers it)"
	cat "$MMAPBENCH_CACHE/kernels/$1/kdir"
}

# mb_kernel_release ABI: the release a Debian ABI or a registered tree carries.
mb_kernel_release() {
	local kdir
	case $1 in
	tree-*) kdir=$(mb_tree_kdir "$1") || return 1; cat "$kdir/include/config/kernel.release" ;;
	*) echo "${1%%+*}" ;;
	esac
}

# mb_kernel_resolve SPEC -> prints "ABI FLAVOUR-PKG-STYLE SUITE"
# SPEC is 6.12, 7.2, 7.3 or a full ABI such as 7.3.4+deb13.  Picks the newest build.
mb_kernel_resolve() {
	local spec=$1 abi
	mb_kernel_spec "$spec"
	abi=$(mb_apt_cache pkgnames linux-headers- |
		sed -n "s/^linux-headers-\(${spec//./\\.}[.+][^-]*\)-amd64\$/\1/p; s/^linux-headers-\(${spec//./\\.}\)-amd64\$/\1/p" |
		sort -V | tail -1)
	[ -n "$abi" ] || die "no Debian kernel matches KERNEL=$spec (try 6.12, 7.2 or 7.3)"
	echo "$abi"
}

# mb_named_kernel NAME: true when kernel-patches/NAME/ names a kernel (its "source",
# e.g. debian:6.12, and its patches, applied in name order): KERNEL=6.12-rfc.
mb_named_kernel() {
	[[ "$1" =~ ^[0-9]+\.[0-9]+-[a-z0-9-]+$ ]] && [ -s "$MB_TOP/kernel-patches/$1/source" ]
}

# mb_named_kernel_build NAME: build it (scripts/build/kernel-tree: cached, rebuilt only when
# the source, a patch or the config fragment changes); prints the built tree's path.
mb_named_kernel_build() {
	local dir=$MB_TOP/kernel-patches/$1 src p args=()
	src=$(head -n 1 "$dir/source")
	for p in "$dir"/*.patch; do
		[ -f "$p" ] && args+=(-p "$p")
	done
	[ ${#args[@]} -gt 0 ] || die "kernel-patches/$1 has no patches"
	log "KERNEL=$1: $src with $(( ${#args[@]} / 2 )) patch(es) from kernel-patches/$1"
	"$MB_TOP/scripts/build/kernel-tree" build "${args[@]}" "$src" | tail -n 1
}

# mb_panic_cause CONSOLE: for a guest that died with EFLAGS no 64-bit kernel can have (VM,
# bit 17, or a reserved bit: 3, 5, 15, 22-31) in a kernel-mode register dump, prints
# "; cause: ..." naming QEMU 7.2's TCG, which corrupts EFLAGS after CMPXCHG16B
# (docs/limits.md); prints nothing otherwise.  A CONSOLE that cannot be read prints nothing.
mb_panic_cause() {
	local fl
	for fl in $(sed -n 's/.*RSP: 0000:[0-9a-f]* EFLAGS: \([0-9a-f]\{1,16\}\).*/\1/p' "$1" 2>/dev/null); do
		if (( (0x$fl & 0xffc28028) != 0 )); then
			printf '; cause: EFLAGS %s in kernel mode (VM or reserved bits set): QEMU TCG corrupted it%s (docs/limits.md; MMAPBENCH_CPU=max,-cx16 avoids it)' \
				"$fl" "$(grep -q 'cx16probe: .*verdict=broken' "$1" && echo ', and cx16probe found this emulator broken')"
			return 0
		fi
	done
}

# mb_job_cpio DIR NAME... -> a newc cpio of DIR/NAME... on stdout whose bytes depend on the
# files' names and contents only: inodes count from 1; mtime, uid and gid are 0.  (busybox
# cpio writes the files' inodes and mtimes: two boots of one job then unpacked different
# bytes from the initrd, and under icount took different paths from there on.)
mb_job_cpio() {
	local dir=$1 name size ino=0
	shift
	for name in "$@" 'TRAILER!!!'; do
		size=0
		[ "$name" = 'TRAILER!!!' ] || size=$(stat -c %s "$dir/$name")
		ino=$((ino + 1))
		[ "$name" != 'TRAILER!!!' ] || ino=0
		printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
			"$ino" $((ino ? 0100644 : 0)) 0 0 1 0 "$size" 0 0 0 0 $((${#name} + 1)) 0 "$name"
		head -c $(((4 - (110 + ${#name} + 1) % 4) % 4)) /dev/zero
		[ "$size" -eq 0 ] || cat "$dir/$name"
		head -c $(((4 - size % 4) % 4)) /dev/zero
	done
}
