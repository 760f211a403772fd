# SPDX-License-Identifier: GPL-2.0
# mmapbench: the top-level entry points.  `make help` lists them.

KERNEL  ?= 7.3
KERNELS ?= 6.12 7.3
SHELL   := /bin/bash
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

.PHONY: help bench check run userland guest-image module clean distclean \
	_userland _guest-image

help:
	@echo 'mmapbench — microbenchmarks for the Linux mmap hot path'
	@echo
	@echo '  make bench [KERNEL=7.3]   the default suite in QEMU on a Debian kernel, plots included'
	@echo '                            (KERNEL: 6.12 = trixie, 7.2 = sid, 7.3 = trixie-backports)'
	@echo '  make check                all tests: host unit tests, guest tests on $(KERNELS)'
	@echo '  make run                  the default suite on this machine (bare metal)'
	@echo '  make userland             build the benchmark and test binaries (static, in the chroot)'
	@echo '  make module KERNEL=...    build the companion module for a Debian kernel'
	@echo '  make clean | distclean    remove build/ | also the download cache'
	@echo
	@echo 'Cache: $${MMAPBENCH_CACHE:-~/.cache/mmapbench}.  Accelerator: MMAPBENCH_ACCEL=auto|kvm|tcg.'

bench:
	scripts/bench -k $(KERNEL)

check:
	scripts/check $(KERNELS)

run:
	scripts/chroot ensure
	$(MAKE) userland
	scripts/run-suite --out results/$$(date -u +%Y%m%dT%H%M%SZ)-bare

userland:
	scripts/chroot run $(MAKE) -s _userland MB_VERSION=$(VERSION)

module:
	ABI=$$(scripts/kernel resolve $(KERNEL)) && scripts/chroot headers $$ABI && \
		scripts/chroot run $(MAKE) -s build/$$ABI/module/mmapbench.ko ABI=$$ABI

# Called by scripts/guest/boot with a resolved ABI (e.g. 7.3.4+deb13).
guest-image:
	@test -n "$(ABI)" || { echo 'make guest-image needs ABI=' >&2; exit 2; }
	scripts/chroot run $(MAKE) -s _guest-image ABI=$(ABI) MB_VERSION=$(VERSION)

# ---- the rules below run inside the chroot (scripts/chroot run) ----

_userland:
	$(MAKE) -s -C bench BUILD=$(CURDIR)/build/bench
	$(MAKE) -s -C tests/guest BUILD=$(CURDIR)/build/tests/guest
	mkdir -p build/tools
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -static -o build/tools/mapchunks bench/tools/mapchunks.c

build/$(ABI)/module/mmapbench.ko: FORCE
	rm -rf build/$(ABI)/module && mkdir -p build/$(ABI)/module
	cp -r drivers/mmapbench/. build/$(ABI)/module/
	$(MAKE) -s -C build/$(ABI)/module KDIR=/usr/src/linux-headers-$(ABI)-amd64

_guest-image: _userland build/$(ABI)/module/mmapbench.ko
	scripts/guest/mkinitramfs build/$(ABI)/module/mmapbench.ko build/$(ABI)/initramfs.cpio.gz

FORCE:

clean:
	rm -rf build

distclean: clean
	rm -rf "$${MMAPBENCH_CACHE:-$${XDG_CACHE_HOME:-$$HOME/.cache}/mmapbench}"
