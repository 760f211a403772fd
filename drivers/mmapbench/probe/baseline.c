// SPDX-License-Identifier: GPL-2.0
/*
 * Must always compile: if it does not, the headers or the compiler are
 * broken and every other probe's "no" would be a lie.
 */
#include <linux/fs.h>
#include <linux/mm.h>

static int probe_mmap(struct file *file, struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_DONTDUMP);
	return 0;
}

const struct file_operations probe_fops = {
	.mmap = probe_mmap,
};
