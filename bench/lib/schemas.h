/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schemas.h - the name of every file format mmapbench writes, defined once.  A
 * writer puts its name in the file's "schema" (the oracle's: "oracle"; the record's:
 * its first line), and a C reader compares with the same macro; shell and jq readers
 * take the names from `mmapbench list --schemas` (NAME='value', scripts/lib.sh
 * mb_schema NAME).  MB_SCHEMAS lists each with its file, writer and readers: that
 * table is printed by `mmapbench list --schemas --table`, and bench/README.md,
 * "Schemas", shows it with where each format's fields are described
 * (tests/unit/test_schemas.sh checks the three agree, and that each writer writes
 * its name and each reader refuses another).  A format that changes incompatibly
 * gets a new number here, nowhere else.  Knows no harness types.
 */
#ifndef MB_SCHEMAS_H
#define MB_SCHEMAS_H

#define MB_SCHEMA_RESULTS	"mmapbench-results/1"
#define MB_SCHEMA_COMPARE	"mmapbench-compare/1"
#define MB_SCHEMA_CV		"mmapbench-cv/1"
#define MB_SCHEMA_TRUST		"mmapbench-trust/1"
#define MB_SCHEMA_HYPERFINE	"mmapbench-hyperfine/1"
#define MB_SCHEMA_ORACLE	"mmapbench-oracle/1"
#define MB_SCHEMA_ORACLE_FOLD	"mmapbench-oracle-fold/1"
#define MB_SCHEMA_ORACLE_RECORD	"mmapbench-oracle-record/1"

/* X(MACRO, FILE, WRITER, READERS) for every schema above, in that order. */
#define MB_SCHEMAS(X)								\
	X(MB_SCHEMA_RESULTS, "results.json",					\
	  "mmapbench run (harness/output.c)",					\
	  "mmapbench-analyze (analyze/results.c, the one loader: cmp.c's compare, " \
	  "track, report, trust, export, digest; hfcheck.c; plot.c), scripts/host/figures, " \
	  "scripts/host/fold-oracle")							\
	X(MB_SCHEMA_COMPARE, "mmapbench-compare --json",			\
	  "mmapbench-compare (analyze/cmp.c)",					\
	  "mmapbench-trust tally (analyze/trustcmd.c), mmapbench-plot --compare " \
	  "(analyze/plot.c)")							\
	X(MB_SCHEMA_CV, "mmapbench-trust cv --json",				\
	  "mmapbench-trust cv (analyze/trustcmd.c)",				\
	  "scripts/host/figures")							\
	X(MB_SCHEMA_TRUST, "aa.json, sensitivity.json",				\
	  "mmapbench-trust tally (analyze/trustcmd.c)",				\
	  "scripts/host/figures")							\
	X(MB_SCHEMA_HYPERFINE, "hyperfine.json",				\
	  "mmapbench-hfcheck report (analyze/hfcheck.c)",			\
	  "mmapbench-digest (analyze/digest.c)")				\
	X(MB_SCHEMA_ORACLE, "oracle/NAME.json",				\
	  "mmapbench oracle RECORD (lib/oracle.c)",				\
	  "mmapbench-analyze fold (analyze/fold.c), tests/guest")		\
	X(MB_SCHEMA_ORACLE_FOLD, "results.json's \"oracle\"",			\
	  "mmapbench-analyze fold (analyze/fold.c), scripts/host/fold-oracle",	\
	  "mmapbench-report (analyze/report.c)")				\
	X(MB_SCHEMA_ORACLE_RECORD, "oracle/NAME.record",			\
	  "scripts/guest/oracle (in the guest)",					\
	  "mmapbench oracle RECORD (lib/oracle.c)")

#endif /* MB_SCHEMAS_H */
