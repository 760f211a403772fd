// SPDX-License-Identifier: GPL-2.0
/* .mmap_prepare with struct vm_area_desc (v6.16 and later). */
#include <linux/fs.h>
#include <linux/mm.h>

static int probe_mmap_prepare(struct vm_area_desc *desc)
{
	desc->vm_ops = NULL;
	desc->private_data = NULL;
	return desc->end - desc->start + desc->pgoff ? 0 : -EINVAL;
}

const struct file_operations probe_fops = {
	.mmap_prepare = probe_mmap_prepare,
};
