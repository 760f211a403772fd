// SPDX-License-Identifier: GPL-2.0
/* vm_area_desc flags as a vma_flags_t bitmap, set through helpers (v7.x). */
#include <linux/fs.h>
#include <linux/mm.h>

static int probe_mmap_prepare(struct vm_area_desc *desc)
{
	vma_desc_set_flags(desc, VMA_DONTDUMP_BIT);
	vma_desc_set_flags_mask(desc, legacy_to_vma_flags(VM_DONTDUMP));
	return 0;
}

const struct file_operations probe_fops = {
	.mmap_prepare = probe_mmap_prepare,
};
