/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mmapbench_abi.h - every name the mmapbench module shows user space.
 *
 * The module, the harness (bench/) and the guest tests (tests/guest/) include
 * this file; shell reads the same names from `mmapbench list --abi`, which
 * prints each macro below as NAME='value' (tests/unit/test_abi.sh checks that
 * it prints exactly these, generated from this file).  A name renamed here
 * fails the build of whatever still uses the old one.
 *
 * Plain C, no includes: usable from the kernel and from userland C11.  Every
 * macro is a string literal or an integer constant; nothing else here starts
 * with MMAPBENCH_.
 */
#ifndef _MMAPBENCH_ABI_H
#define _MMAPBENCH_ABI_H

/* The module's name (KBUILD_MODNAME): sysfs, debugfs and dmesg prefix. */
#define MMAPBENCH_MODULE		"mmapbench"

/* The misc devices, by the hook they map through. */
#define MMAPBENCH_DEV_LEGACY		"mmapbench-legacy"
#define MMAPBENCH_DEV_PREPARE		"mmapbench-prepare"
#define MMAPBENCH_DEV_LEGACY_PATH	"/dev/" MMAPBENCH_DEV_LEGACY
#define MMAPBENCH_DEV_PREPARE_PATH	"/dev/" MMAPBENCH_DEV_PREPARE

/* sysfs: the module and its parameters. */
#define MMAPBENCH_SYSFS_DIR		"/sys/module/" MMAPBENCH_MODULE
#define MMAPBENCH_PARAMS_DIR		MMAPBENCH_SYSFS_DIR "/parameters"

/* The parameters (files in MMAPBENCH_PARAMS_DIR). */
#define MMAPBENCH_PARAM_POOL_MB		"pool_mb"
#define MMAPBENCH_PARAM_MAP_PAGES	"map_pages"
#define MMAPBENCH_PARAM_PROFILE		"profile"
#define MMAPBENCH_PARAM_HOOK		"hook"
#define MMAPBENCH_PARAM_DEV_MODE	"dev_mode"

/* pool_mb: its default and its range. */
#define MMAPBENCH_POOL_MB_DEFAULT	64
#define MMAPBENCH_POOL_MB_MAX		4096
/* dev_mode: the default mode of the device nodes (octal 0600). */
#define MMAPBENCH_DEV_MODE_DEFAULT	0600

/* profile: the flags every hook adds to a mapping. */
#define MMAPBENCH_PROFILE_NONE		"none"
#define MMAPBENCH_PROFILE_DONTDUMP	"dontdump"
#define MMAPBENCH_PROFILE_SPECIAL	"special"
#define MMAPBENCH_PROFILE_DEFAULT	MMAPBENCH_PROFILE_DONTDUMP
/* All of them, in the module's order, comma-separated (as `-p` takes them). */
#define MMAPBENCH_PROFILES		MMAPBENCH_PROFILE_NONE "," \
					MMAPBENCH_PROFILE_DONTDUMP "," \
					MMAPBENCH_PROFILE_SPECIAL

/* hook (read-only): the new hook the kernel headers offered, or none. */
#define MMAPBENCH_HOOK_MMAP_PREPARE	"mmap_prepare"
#define MMAPBENCH_HOOK_MMAP_PROTO	"mmap_proto"
#define MMAPBENCH_HOOK_NONE		"none"

/* debugfs: one directory per registered device, holding the counters. */
#define MMAPBENCH_DEBUGFS_DIR		"/sys/kernel/debug/" MMAPBENCH_MODULE
#define MMAPBENCH_DBG_LEGACY		"legacy"
#define MMAPBENCH_DBG_PREPARE		"prepare"
/* Any write zeroes the directory's counters. */
#define MMAPBENCH_DBG_RESET		"reset"

/* The counters (read-only files in each device's debugfs directory). */
#define MMAPBENCH_COUNTER_HOOK_CALLS	"hook_calls"
#define MMAPBENCH_COUNTER_EINVAL	"einval"
#define MMAPBENCH_COUNTER_FAULTS	"faults"
#define MMAPBENCH_COUNTER_SIGBUS	"sigbus"
#define MMAPBENCH_COUNTER_MAP_PAGES	"map_pages"
#define MMAPBENCH_NR_COUNTERS		5
/* All of them, in the module's order, comma-separated. */
#define MMAPBENCH_COUNTERS		MMAPBENCH_COUNTER_HOOK_CALLS "," \
					MMAPBENCH_COUNTER_EINVAL "," \
					MMAPBENCH_COUNTER_FAULTS "," \
					MMAPBENCH_COUNTER_SIGBUS "," \
					MMAPBENCH_COUNTER_MAP_PAGES

#endif /* _MMAPBENCH_ABI_H */
