// SPDX-License-Identifier: GPL-2.0
/* .mmap_proto with struct vma_proto (the April 2025 RFC). */
#include <linux/fs.h>
#include <linux/mm.h>

static int probe_mmap_proto(struct vma_proto *proto)
{
	proto->flags |= VM_DONTDUMP;
	proto->vm_ops = NULL;
	proto->private_data = NULL;
	return proto->end - proto->start + proto->pgoff ? 0 : -EINVAL;
}

const struct file_operations probe_fops = {
	.mmap_proto = probe_mmap_proto,
};
