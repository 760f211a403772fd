# SPDX-License-Identifier: GPL-2.0
FINEGRAINED_SUPPORTED=yes
NAMEEXTRA=

run_bench() {
	$SHELLPACK_INCLUDE/shellpack-bench-mmapbench \
		--suite      $MMAPBENCH_SUITE \
		--iterations $MMAPBENCH_ITERATIONS
	return $?
}
