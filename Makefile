# SPDX-License-Identifier: GPL-2.0
# mmapbench: the top-level entry points.  `make help` lists them.

KERNEL  ?= 7.3
KERNELS ?= 6.12 6.12-rfc 7.2 7.3
SHELL   := /bin/bash
VERSION := $(shell scripts/build/version)
# The guest's clock (docs/clocks.md): auto = kvm where KVM boots a stock kernel, else
# icount; icount, tcg or kvm.  MMAPBENCH_CLOCK for the scripts (MMAPBENCH_ACCEL: old name).
CLOCK   ?= $(or $(MMAPBENCH_CLOCK),$(MMAPBENCH_ACCEL),auto)
# ASLR=off|on: off runs guests with kernel.randomize_va_space=0 (one address layout for
# every process: docs/clocks.md).  Unset: off under icount, on under tcg and kvm.
# Recorded in boot.env (aslr=) and every results.json (env.randomize_va_space).
ifneq ($(ASLR),)
export MMAPBENCH_ASLR := $(ASLR)
endif
# CPU=MODEL[,FEATURES] (MMAPBENCH_CPU): QEMU's -cpu under tcg and icount, default max;
# make check and make fuzz take max,-cx16 (QEMU 7.2 corrupts EFLAGS after CMPXCHG16B:
# docs/limits.md).  Recorded in boot.env (qemu_accel, tcg_cx16).
ifneq ($(CPU),)
export MMAPBENCH_CPU := $(CPU)
endif
# QEMU=host|SUITE (MMAPBENCH_QEMU): the host's qemu-system-x86_64 (default), or a Debian
# suite's, e.g. trixie's QEMU 10.0 without 7.2's CMPXCHG16B bug (scripts/build/qemu).
ifneq ($(QEMU),)
export MMAPBENCH_QEMU := $(QEMU)
endif
# SEED=N|host: under icount QEMU's guest random source (RDRAND, RDSEED) is seeded with N
# (default 1) and the RTC starts at a fixed date on the virtual clock, so every boot is
# the same; host: both from the host, as before; boot (make boots|aa|sensitivity): boot i
# with seed i, boots that sample kernel states (docs/clocks.md).  Recorded in boot.env
# (qemu_seed=, rtc=) and every results.json (env.qemu_seed, env.cpu_rng).
ifneq ($(SEED),)
export MMAPBENCH_SEED := $(SEED)
endif
GUEST_CLOCK = @case '$(CLOCK)' in auto|icount|tcg|kvm) ;; \
	*) echo "CLOCK must be auto, icount, tcg or kvm, not '$(CLOCK)'" >&2; exit 2 ;; esac

.PHONY: help bench boots check matrix profile plot run hyperfine userland guest-image module clean distclean \
	_userland _guest-image figures kernel ab dkms-check

help:
	@echo 'mmapbench — microbenchmarks for the Linux mmap hot path'
	@echo
	@echo '  make bench [KERNEL=7.3] [SUITE=default] [CLOCK=auto]   the suite in QEMU on a Debian'
	@echo '                            kernel, plots included (CLOCK: auto|icount|tcg|kvm, for every'
	@echo '                            guest target; auto = kvm if KVM boots, else icount)'
	@echo '                            (KERNEL: 6.12 = trixie, 7.2 = sid, 7.3 = trixie-backports,'
	@echo '                            6.12-rfc = 6.12 + the RFC .mmap_proto (kernel-patches/), or a'
	@echo '                            built kernel tree'"'"'s path: make kernel)'
	@echo '  make check                all tests: host unit tests, guest tests on $(KERNELS)'
	@echo '  make kernel SRC=dir|debian:6.12|debian:7.3 [PATCH="a.patch ..."]  a guest kernel'
	@echo '                            (tinyconfig + scripts/build/kconfig/guest.config), cached; prints'
	@echo '                            its tree, which KERNEL=<tree> boots'
	@echo '  make matrix [KERNELS=...] [BOOTS=3]  merge+storm on several kernels, the'
	@echo '                            second-merge report (results/<id>-matrix/report.md)'
	@echo '  make boots [KERNEL=7.3] [BOOTS=5]  the suite in several boots, the CV of the boots'"'"' medians'
	@echo '  make profile [KERNEL=6.12] [BOOTS=1] [PERIOD=auto] [CHAINS=yes] [PROFILE_ARGS=...]  per-case kernel'
	@echo '                            profiles of the measured ops (perf, LKP lines, flame graphs);'
	@echo '                            PROFILE=1 on make bench|matrix does the same for their runs'
	@echo '  make ab BASE=k PATCHED=k [BOOTS=3]  both kernels booted in turn, the same job; the'
	@echo '                            compare table and merge report in results/<id>-ab/'
	@echo '  make dkms-check [KERNEL=7.3]  dkms build of the module against Debian headers, then'
	@echo '                            loaded in that kernel'"'"'s guest: results/<id>-dkms-<abi>/'
	@echo '  make plot RESULTS=dir     PNG and SVG charts of a result directory'
	@echo '  make figures              FINDINGS.md'"'"'s figures from the committed results (make check tests them)'
	@echo '  make compare BASE=a PATCHED=b   LKP-style A/B table (CMPFLAGS=--markdown|--json)'
	@echo '  make compare-plot BASE=a PATCHED=b OUT=dir   the same as a chart: OUT/compare.{png,svg}'
	@echo '  make track RESULTS=dir    record a run in results/history; exit 1 on a regression'
	@echo '  make track-plot           a chart per tracked metric over the runs: results/history/plots'
	@echo '  make fuzz | fuzz-debug    long fuzz on $(KERNELS) | on a KASAN/lockdep 7.3 build'
	@echo '  make fuzz-kcsan           t_race on a KCSAN 7.3 build'
	@echo '  make fuzz-parsers [FUZZ_SECONDS=300] [FUZZ_RUNS=N]  the result readers under libFuzzer+ASan+UBSan'
	@echo '  make run [SUITE=quick]    the default suite on this machine (bare metal), then'
	@echo '                            the hyperfine cross-check (hyperfine.json), then its plots'
	@echo '  make hyperfine            the hyperfine cross-check alone: per-op medians against'
	@echo '                            whole processes (results/<id>-bare-hyperfine)'
	@echo '  make aa | sensitivity [WHERE=guest]  false alarm rate of compare (A/A pairs);'
	@echo '                            what it catches (+1/2/5 % injected); CV of medians'
	@echo '                            (guest under icount: 10 boots split 5 v 5, +0.5/1/2 %)'
	@echo '  make userland             build the benchmark and test binaries (static, in the chroot)'
	@echo '  make module KERNEL=...    build the companion module for a Debian kernel'
	@echo '  make clean | distclean    remove build/ | also the download cache'
	@echo
	@echo 'Cache: $${MMAPBENCH_CACHE:-~/.cache/mmapbench}.  Clock: CLOCK= or MMAPBENCH_CLOCK=auto|icount|tcg|kvm.'
	@echo 'ASLR=on|off (MMAPBENCH_ASLR): the guest'"'"'s address randomisation; default off under icount.'
	@echo 'CPU=MODEL (MMAPBENCH_CPU): QEMU'"'"'s -cpu under tcg/icount (default max; check and fuzz: max,-cx16).'
	@echo 'QEMU=host|SUITE (MMAPBENCH_QEMU): the host'"'"'s QEMU (default) or a Debian suite'"'"'s, e.g. trixie (10.0).'
	@echo 'SEED=N|host (MMAPBENCH_SEED): under icount, the seed of the guest'"'"'s RDRAND (default 1; host: the host'"'"'s; boot: seed i in boot i of boots/aa/sensitivity).'

SUITE ?= default
bench:
	$(GUEST_CLOCK)
	MMAPBENCH_CLOCK=$(CLOCK) MMAPBENCH_PERF_PROFILE=$(PROFILE) scripts/host/bench -k $(KERNEL) -s $(SUITE)

check:
	$(GUEST_CLOCK)
	MMAPBENCH_CLOCK=$(CLOCK) scripts/host/check $(KERNELS)

# make boots [KERNEL=7.3] [BOOTS=5] [SUITE=default]: the suite in BOOTS boots, and the
# spread of the boots' medians (results/<id>-boots/cv.txt)
boots:
	$(GUEST_CLOCK)
	MMAPBENCH_CLOCK=$(CLOCK) scripts/host/boots -k $(KERNEL) -n $(if $(filter command line environment,$(origin BOOTS)),$(BOOTS),5) -s $(SUITE)

BOOTS ?= 3
matrix:
	$(GUEST_CLOCK)
	MMAPBENCH_CLOCK=$(CLOCK) MMAPBENCH_PERF_PROFILE=$(PROFILE) scripts/host/matrix -k "$(KERNELS)" -n $(BOOTS)

# make profile [KERNEL=6.12] [BOOTS=1] [PERIOD=auto|NS] [CHAINS=yes|no] [PROFILE_ARGS="-b merge ..."]:
# where a selection's measured ops spend their cost, per case (scripts/host/profile;
# docs/profiles.md); default selection the second merge.
PROFILE ?= 0
profile:
	$(GUEST_CLOCK)
	MMAPBENCH_CLOCK=$(CLOCK) scripts/host/profile -k $(if $(filter command line environment,$(origin KERNEL)),$(KERNEL),6.12) \
		-n $(if $(filter command line environment,$(origin BOOTS)),$(BOOTS),1) $(if $(PERIOD),-p $(PERIOD)) \
		$(if $(CHAINS),-g $(CHAINS)) $(if $(PROFILE_ARGS),-- $(PROFILE_ARGS))

# make dkms-check [KERNEL=7.3]: drivers/mmapbench/dkms.conf through a real dkms add + build
# against Debian's headers in the chroot, then the module dkms built loaded in that
# kernel's guest (t_module on it): results/<UTC>-dkms-<abi>/ (scripts/host/dkms-check).
dkms-check:
	ABI=$$(scripts/build/kernel resolve '$(KERNEL)') && \
		scripts/host/dkms-check -o results/$$(date -u +%Y%m%dT%H%M%SZ)-dkms-$$ABI '$(KERNEL)'

# make ab BASE=<kernel> PATCHED=<kernel> [BOOTS=3] [AB_SUITE=matrix]: any kernel spec (6.12,
# 7.2, 7.3, a tree's path), interleaved boots, the compare table and the merge report in
# results/<UTC>-ab/ (scripts/host/ab).
ab:
	@test -n "$(BASE)" -a -n "$(PATCHED)" || \
		{ echo 'usage: make ab BASE=<kernel> PATCHED=<kernel> [BOOTS=3]  (6.12|7.2|7.3 or a kernel tree)' >&2; exit 2; }
	$(GUEST_CLOCK)
	MMAPBENCH_CLOCK=$(CLOCK) scripts/host/ab -b '$(BASE)' -p '$(PATCHED)' -n $(BOOTS) $(if $(AB_SUITE),-s $(AB_SUITE))

# make kernel SRC=<source dir>|debian:6.12|debian:7.3 [PATCH="a.patch b.patch"]: a guest
# kernel built out of tree in $$MMAPBENCH_CACHE/trees/<key>/ (scripts/build/kernel-tree).
kernel:
	@test -n "$(SRC)" || { echo 'usage: make kernel SRC=<source dir>|debian:6.12|debian:7.3 [PATCH="a.patch ..."]' >&2; exit 2; }
	@scripts/build/kernel-tree build $(foreach p,$(PATCH),-p '$(p)') '$(SRC)'

plot:
	@test -n "$(RESULTS)" || { echo 'usage: make plot RESULTS=results/<run-id>' >&2; exit 2; }
	scripts/host/plot '$(RESULTS)'

# FINDINGS.md's (and README.md's, docs/*.md's) <!-- fig:NAME --> blocks, regenerated from results/ (tests/unit/test_figures.sh).
figures:
	scripts/build/chroot ensure
	$(MAKE) userland
	scripts/build/chroot run scripts/host/figures

# hyperfine is the chroot's, run on this machine through the chroot's loader.
HYPERFINE_CHECK = HYPERFINE="$(CURDIR)/scripts/build/chroot exec hyperfine" scripts/guest/hyperfine-check

run:
	scripts/build/chroot ensure
	$(MAKE) userland
	out=results/$$(date -u +%Y%m%dT%H%M%SZ)-bare && \
		scripts/guest/run-suite --suite $(SUITE) --out $$out && $(HYPERFINE_CHECK) --out $$out && \
		scripts/host/plot $$out

hyperfine:
	scripts/build/chroot ensure
	$(MAKE) userland
	$(HYPERFINE_CHECK) --out results/$$(date -u +%Y%m%dT%H%M%SZ)-bare-hyperfine

userland:
	scripts/build/chroot run $(MAKE) -s _userland MB_VERSION=$(VERSION)

# The module is built in the root with the kernel's own compiler (scripts/build/chroot module:
# trixie's gcc-14, or sid's gcc-16 for sid's 7.2); the rest of the image in trixie.
module:
	ABI=$$(scripts/build/kernel resolve $(KERNEL)) && scripts/build/chroot module $$ABI

# Called by scripts/qemu/boot with a resolved ABI (e.g. 7.3.4+deb13).  The image
# carries Debian's perf (the chroot's, with its libraries: ~21 MB gzipped) unless
# MMAPBENCH_GUEST_PERF=0.  The debug kernels (scripts/build/debug-kernel) are trees (tree-<hex>).
MMAPBENCH_GUEST_PERF ?= 1
guest-image:
	@test -n "$(ABI)" || { echo 'make guest-image needs ABI=' >&2; exit 2; }
	@scripts/build/chroot module $(ABI) && \
		scripts/build/chroot run $(MAKE) -s _guest-image ABI=$(ABI) MB_VERSION=$(VERSION) \
		MMAPBENCH_GUEST_PERF=$(MMAPBENCH_GUEST_PERF) MB_MODULE_BUILT=1

# ---- the rules below run inside the chroot (scripts/build/chroot run) ----

_userland:
	$(MAKE) -s -C bench BUILD=$(CURDIR)/build/bench
	$(MAKE) -s -C tests/guest BUILD=$(CURDIR)/build/tests/guest
	mkdir -p build/tools
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -static -o build/tools/mapchunks bench/tools/mapchunks.c
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -static -o build/tools/cx16probe bench/tools/cx16probe.c

# The module's KDIR: Debian's headers in the chroot, or (scripts/build/debug-kernel) a tree.
MB_KDIR ?= /usr/src/linux-headers-$(ABI)-amd64
build/$(ABI)/module/mmapbench.ko: FORCE
	rm -rf build/$(ABI)/module && mkdir -p build/$(ABI)/module
	cp -r drivers/mmapbench/. build/$(ABI)/module/
	$(MAKE) -s -C build/$(ABI)/module KDIR=$(MB_KDIR)

# MB_MODULE_BUILT=1: make guest-image built the module already (scripts/build/chroot module,
# maybe in another root); scripts/build/debug-kernel has it built here.
_guest-image: _userland $(if $(MB_MODULE_BUILT),,build/$(ABI)/module/mmapbench.ko)
	@test -s build/$(ABI)/module/mmapbench.ko || \
		{ echo 'no build/$(ABI)/module/mmapbench.ko: make guest-image ABI=$(ABI)' >&2; exit 1; }
	@if [ "$(MMAPBENCH_GUEST_PERF)" != 0 ] && { [ ! -x build/guest-perf/bin/perf ] || \
		[ "$$(readlink -f /usr/bin/perf)" -nt build/guest-perf/bin/perf ]; }; then \
		scripts/build/mkperf build/guest-perf; fi
	MMAPBENCH_GUEST_PERF=$(MMAPBENCH_GUEST_PERF) scripts/build/mkinitramfs \
		build/$(ABI)/module/mmapbench.ko build/$(ABI)/initramfs.cpio.gz

FORCE:

clean:
	rm -rf build

distclean: clean
	rm -rf "$${MMAPBENCH_CACHE:-$${XDG_CACHE_HOME:-$$HOME/.cache}/mmapbench}"

# ---- fuzzing and the debug kernel (scripts/host/fuzz, scripts/build/debug-kernel) ----
# make fuzz [KERNELS="6.12 7.2 7.3"] [FUZZ_OPS=100000] [SEED=N] [STRESS_SECONDS=60]
# make debug-kernel [FLAVOUR=kcsan]  a tinyconfig 7.3 guest kernel with KASAN, lockdep,
#                       DEBUG_VM (scripts/build/kconfig/debug.config) | KCSAN (kcsan.config)
# make fuzz-debug       the module's tests and both fuzzers on the KASAN kernel
# make fuzz-kcsan       t_race on the KCSAN kernel
FUZZ_OPS       ?= 100000
STRESS_SECONDS ?= 60
FUZZ_ARGS       = -n $(FUZZ_OPS) -S $(STRESS_SECONDS) $(if $(SEED),-s $(SEED))

.PHONY: fuzz fuzz-debug fuzz-kcsan debug-kernel fuzz-parsers

fuzz:
	$(GUEST_CLOCK)
	MMAPBENCH_CLOCK=$(CLOCK) scripts/host/fuzz $(FUZZ_ARGS) $(KERNELS)

debug-kernel:
	scripts/build/debug-kernel build $(FLAVOUR)

fuzz-debug:
	$(GUEST_CLOCK)
	scripts/build/debug-kernel build kasan >/dev/null
	MMAPBENCH_CLOCK=$(CLOCK) scripts/host/fuzz --debug $(FUZZ_ARGS)

fuzz-kcsan:
	$(GUEST_CLOCK)
	scripts/build/debug-kernel build kcsan >/dev/null
	MMAPBENCH_CLOCK=$(CLOCK) scripts/host/fuzz --kcsan $(FUZZ_ARGS)

# make fuzz-parsers [FUZZ_SECONDS=300] [FUZZ_RUNS=N] [FUZZERS="fuzz_results ..."]: each
# reader of the analysis tools (tests/fuzz) under libFuzzer, one after another, for
# FUZZ_SECONDS or FUZZ_RUNS executions, whichever comes first; the report is kept as
# results/<time>-fuzz-parsers/
FUZZ_SECONDS ?= 300
fuzz-parsers:
	scripts/host/fuzz-parsers -t $(FUZZ_SECONDS) $(if $(FUZZ_RUNS),-r $(FUZZ_RUNS)) $(FUZZERS)

# ---- analysis: compare result sets, track runs against a baseline ----
# The binaries are static: built in the chroot, run here.  BASE, PATCHED, RESULTS: a
# results.json, a directory of them (results/<run-id>) or a comma list; each file is
# one run.  CMPFLAGS (e.g. --markdown, --json), TRACKFLAGS (e.g. --set-baseline,
# --threshold 3) are passed through.  `make track` exits non-zero on a regression.
.PHONY: compare compare-plot track track-plot _analysis

_analysis:
	scripts/build/chroot run $(MAKE) -s -C bench BUILD=/src/build/bench MB_VERSION=$(VERSION)

compare:
	@test -n "$(BASE)" -a -n "$(PATCHED)" || \
		{ echo 'usage: make compare BASE=results/<a> PATCHED=results/<b> [CMPFLAGS=--markdown]' >&2; exit 2; }
	@$(MAKE) -s _analysis
	build/bench/mmapbench-compare $(CMPFLAGS) '$(BASE)' '$(PATCHED)'

compare-plot:
	@test -n "$(BASE)" -a -n "$(PATCHED)" -a -n "$(OUT)" || \
		{ echo 'usage: make compare-plot BASE=results/<a> PATCHED=results/<b> OUT=dir [NAME=compare]' >&2; exit 2; }
	@$(MAKE) -s _analysis
	scripts/host/plot --compare '$(BASE)' '$(PATCHED)' '$(OUT)' $(if $(NAME),'$(NAME)')

track-plot:
	@$(MAKE) -s _analysis
	scripts/host/plot --history results/history/index.tsv

track:
	@test -n "$(RESULTS)" || \
		{ echo 'usage: make track RESULTS=results/<run-id> [TRACKFLAGS=--set-baseline]' >&2; exit 2; }
	@$(MAKE) -s _analysis
	build/bench/mmapbench-track --index results/history/index.tsv $(TRACKFLAGS) '$(RESULTS)'

# ---- how far to trust the numbers: A/A pairs and injected slowdowns (scripts/guest/aa) ----
# make aa [WHERE=host|guest] [PAIRS=20] [RUNS=6] [AA_ARGS="mmapbench run args"]
# make sensitivity [WHERE=...] [PAIRS=10] [RUNS=6] [LEVELS=1,2,5] [AA_ARGS=...]
# Host (bare): results/<UTC>-aa|-sensitivity/; about 5 min each on the 2-vCPU build
# host.  WHERE=guest: one TCG boot on $(KERNEL) with smaller defaults (about 10 min),
# the module's devices included; results/<UTC>-aa-guest|-sensitivity-guest/.  Under
# CLOCK=icount (auto without KVM) the unit is the boot (scripts/host/aa-boots): BOOTS_AA=10
# boots, SPLITS=20 splits into 5 v 5 boots, ICOUNT_LEVELS=0.5,1,2 for sensitivity;
# results/<UTC>-aa-guest-icount|-sensitivity-guest-icount/.
WHERE  ?= host
LEVELS ?= 1,2,5
# (a variable: a literal 0.5,1,2 inside $(or ...) would be three arguments, the first taken)
ICOUNT_LEVELS ?= 0.5,1,2
# the harness's selection aa-guest (mmapbench list --selections), read when the recipe runs
AA_GUEST_ARGS = $$(build/bench/mmapbench list --selection aa-guest)

.PHONY: aa sensitivity _trust

aa:
	@$(MAKE) -s _trust MODE=aa PAIRS=$(or $(PAIRS),$(if $(filter guest,$(WHERE)),6,20)) \
		RUNS=$(or $(RUNS),$(if $(filter guest,$(WHERE)),4,6))

sensitivity:
	@$(MAKE) -s _trust MODE=sensitivity PAIRS=$(or $(PAIRS),$(if $(filter guest,$(WHERE)),3,10)) \
		RUNS=$(or $(RUNS),$(if $(filter guest,$(WHERE)),4,6))

_trust:
	@case "$(WHERE)" in host|guest) ;; *) echo 'WHERE must be host or guest' >&2; exit 2 ;; esac
	$(GUEST_CLOCK)
	scripts/build/chroot ensure
	$(MAKE) userland
ifeq ($(WHERE),host)
	scripts/guest/aa -P $(PAIRS) -R $(RUNS) $(if $(filter sensitivity,$(MODE)),-s $(LEVELS)) \
		$(if $(AA_ARGS),-a '$(AA_ARGS)') -o results/$$(date -u +%Y%m%dT%H%M%SZ)-$(MODE)
else
	ABI=$$(scripts/build/kernel resolve $(KERNEL)) && scripts/build/kernel fetch-image $$ABI >/dev/null && \
	scripts/build/chroot headers $$ABI && $(MAKE) -s guest-image ABI=$$ABI && \
	clk=$$(MMAPBENCH_CLOCK=$(CLOCK) MMAPBENCH_NO_BUILD=1 scripts/qemu/boot -k $$ABI -P) && \
	if [ "$$clk" = icount ]; then \
		$(MAKE) -s _analysis && \
		MMAPBENCH_CLOCK=icount scripts/host/aa-boots -k $$ABI -B $(or $(BOOTS_AA),10) -P $(or $(SPLITS),20) \
			$(if $(filter sensitivity,$(MODE)),-s $(ICOUNT_LEVELS)) \
			$(if $(AA_ARGS),-a '$(AA_ARGS)') \
			-o results/$$(date -u +%Y%m%dT%H%M%SZ)-$(MODE)-guest-icount$(if $(filter boot,$(SEED)),-seeds); exit $$?; \
	fi && \
	id=$$(date -u +%Y%m%dT%H%M%SZ)-$(MODE)-guest && job=$$(mktemp) && \
	printf '%s\n' "aa -o /out/$(MODE) -P $(PAIRS) -R $(RUNS) $(if $(filter sensitivity,$(MODE)),-s $(LEVELS)) -a '$(or $(AA_ARGS),$(AA_GUEST_ARGS))'" >$$job && \
	MMAPBENCH_CLOCK=$(CLOCK) MMAPBENCH_NO_BUILD=1 scripts/qemu/boot -k $$ABI -j $$job -o results/$$id -t 1500; \
	rc=$$?; rm -f $$job; test $$rc = 0 && cat results/$$id/$(MODE)/$(MODE).txt; exit $$rc
endif
