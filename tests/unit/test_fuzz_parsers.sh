#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_fuzz_parsers.sh - make check's short run of the parser fuzzers (tests/fuzz):
# each reader for MB_FUZZ_CHECK_SECONDS (default 12) under libFuzzer, ASan and UBSan,
# then every committed crash input replayed.  TAP.  make fuzz-parsers runs them longer.
set -u
for p in clang-19 jq; do
	command -v $p >/dev/null 2>&1 && continue
	printf '1..1\nnot ok 1 - %s is installed (the trixie chroot has it: make check runs this there)\n' $p
	exit 1
done
exec sh "$(dirname "$0")/../fuzz/run.sh" -t "${MB_FUZZ_CHECK_SECONDS:-12}"
