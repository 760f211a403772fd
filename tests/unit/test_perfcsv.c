// SPDX-License-Identifier: GPL-2.0
/*
 * test_perfcsv.c - bench/lib/perfcsv.c: `perf stat -x,` CSV as perf writes it (the
 * "# started on" comment, a blank line, VALUE,UNIT,EVENT,... per event), perf's
 * "<not counted>"/"<not supported>" left absent (never 0), lines that are not counts
 * skipped, an event given twice, no final newline, nothing at all.
 */
#include <string.h>

#include "perfcsv.h"
#include "../tap.h"

static const struct perfcsv_count *find(const struct perfcsv *p, const char *ev)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->c[i].event, ev))
			return &p->c[i];
	return NULL;
}

#define TEXT(s) s, sizeof(s) - 1

int main(void)
{
	struct perfcsv p;
	const struct perfcsv_count *c;

	tap_plan(14);

	ok(perfcsv_parse(&p, TEXT("# started on Thu Dec  3 15:11:34 2026\n\n"
				  "29,,page-faults,839719,100.00,,\n"
				  "0,,major-faults,839719,100.00,,\n"
				  "39,,mmapbench_oracle:vma_merge_new_range,839719,100.00,,\n")) == 0 &&
	   p.n == 3, "perf's own format: the comment and the blank line skipped, 3 counts");
	ok(p.n == 3 && !strcmp(p.c[0].event, "page-faults") && !strcmp(p.c[1].event, "major-faults") &&
	   !strcmp(p.c[2].event, "mmapbench_oracle:vma_merge_new_range"),
	   "events in the order of their lines, named by the third field");
	c = find(&p, "page-faults");
	ok(c && c->valid && c->value == 29, "page-faults: 29, from the first field");
	c = find(&p, "major-faults");
	ok(c && c->valid && c->value == 0, "a count of 0 is a count");
	perfcsv_free(&p);
	ok(p.n == 0 && !p.c, "freed: empty");

	ok(perfcsv_parse(&p, TEXT("<not counted>,,mmapbench_oracle:mmap_region,0,0.00,,\n"
				  "<not supported>,,cpu-migrations,0,0.00,,\n")) == 0 && p.n == 2,
	   "events perf could not count are listed");
	c = find(&p, "mmapbench_oracle:mmap_region");
	ok(c && !c->valid, "<not counted>: no value (never 0)");
	c = find(&p, "cpu-migrations");
	ok(c && !c->valid, "<not supported>: no value");
	perfcsv_free(&p);

	ok(perfcsv_parse(&p, TEXT("5,,a\n7,,\n12\n3,x\n4,,b,1\n29x,,c,1\n")) == 0 && p.n == 4 &&
	   find(&p, "a") && find(&p, "a")->value == 5 && find(&p, "b") && find(&p, "b")->value == 4,
	   "three fields make a count, fewer do not (an empty event name is a name)");
	c = find(&p, "c");
	ok(c && !c->valid, "a value that is not wholly a number: no value");
	perfcsv_free(&p);

	ok(perfcsv_parse(&p, TEXT("1,,ev,1\n2,,other,1\n3,,ev,1\n")) == 0 && p.n == 2 &&
	   find(&p, "ev")->value == 3 && !strcmp(p.c[0].event, "ev"),
	   "an event given twice: its last line counts, in its first place");
	perfcsv_free(&p);
	ok(perfcsv_parse(&p, TEXT("8,,last,1")) == 0 && p.n == 1 && p.c[0].value == 8,
	   "no final newline: the last line still counts");
	perfcsv_free(&p);
	ok(perfcsv_parse(&p, TEXT("")) == 0 && p.n == 0, "nothing: no counts, no error");
	perfcsv_free(&p);
	ok(perfcsv_parse(&p, TEXT("1.5e3,,r,1\n-2,,neg,1\n")) == 0 && p.n == 2 &&
	   find(&p, "r")->value == 1500 && find(&p, "neg")->value == -2,
	   "decimal and signed values as numbers");
	perfcsv_free(&p);
	return tap_done();
}
