/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oracle.h - `mmapbench oracle RECORD`: the merge oracle's trace parser (oracle.c).
 * Knows no harness types: a record in, the oracle's JSON out.
 */
#ifndef MB_ORACLE_H
#define MB_ORACLE_H

#include "schemas.h"

/* The first line of a record scripts/guest/oracle keeps. */
#define ORACLE_RECORD_SCHEMA	MB_SCHEMA_ORACLE_RECORD

/* argv: the words after "oracle"; returns the exit status (oracle.c's header). */
int mb_oracle_main(const char *prog, int argc, char **argv);

#endif /* MB_ORACLE_H */
