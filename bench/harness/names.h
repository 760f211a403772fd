/* SPDX-License-Identifier: GPL-2.0 */
/*
 * names.h - the names the harness prints for shell: the module's contract
 * (abi.c, from drivers/mmapbench/mmapbench_abi.h) and the named selections
 * (selections.c).  Knows no harness types.
 */
#ifndef MB_NAMES_H
#define MB_NAMES_H

/* `mmapbench list --abi`: every macro of mmapbench_abi.h as NAME='value'. */
void mb_abi_print(void);

/*
 * `mmapbench list --schemas`: every file format's name (lib/schemas.h) as
 * NAME='value'; with table, NAME<TAB>value<TAB>FILE<TAB>WRITER<TAB>READERS.
 */
void mb_schemas_print(int table);

/* A named selection's words (options of `mmapbench run`, or names), NULL if unknown. */
const char *mb_selection(const char *name);
/* `mmapbench list --selections`: NAME<TAB>WORDS<TAB>WHAT, one per line. */
void mb_selections_print(void);

/*
 * `mmapbench list --abi|--selections|--selection NAME`: argv is what follows "list".
 * Returns the exit status, or -1 when argv[0] is none of these (a plain `list`).
 */
int mb_list_names(const char *prog, int argc, char **argv);

#endif /* MB_NAMES_H */
