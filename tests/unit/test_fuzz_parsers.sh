#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# test_fuzz_parsers.sh - make check's short run of the parser fuzzers (tests/fuzz):
# each reader for MB_FUZZ_CHECK_SECONDS (default 12) under libFuzzer, ASan and UBSan,
# then every committed crash input replayed.  TAP.  make fuzz-parsers runs them longer.
set -u
if ! command -v clang-19 >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	echo "1..0 # SKIP clang-19 or jq not installed (the trixie chroot has both)"
	exit 0
fi
exec sh "$(dirname "$0")/../fuzz/run.sh" -t "${MB_FUZZ_CHECK_SECONDS:-12}"
