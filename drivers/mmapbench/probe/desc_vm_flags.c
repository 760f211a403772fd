// SPDX-License-Identifier: GPL-2.0
/* vm_area_desc flags as a plain vm_flags_t field (the first .mmap_prepare). */
#include <linux/fs.h>
#include <linux/mm.h>

static int probe_mmap_prepare(struct vm_area_desc *desc)
{
	desc->vm_flags |= VM_DONTDUMP;
	return 0;
}

const struct file_operations probe_fops = {
	.mmap_prepare = probe_mmap_prepare,
};
