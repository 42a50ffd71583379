// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only debugfs files of a VM with private memory, in its KVM debugfs
 * directory (/sys/kernel/debug/kvm/<pid>-<fd>/), root only:
 *
 * private_pfn (0600)
 *	write a gfn (shared bit clear), then read the pfn of the memfd page
 *	behind it, as "0x<pfn>\n".  The gfn must be in a private slot; the
 *	page is looked up like a private fault would (a hole is allocated).
 * private_migrate (0200)
 *	write a gfn: drain the per-CPU LRU batches, then
 *	alloc_contig_range() over exactly the pfn behind it, which migrates
 *	the page away if it can (and then frees the range again).  The
 *	write fails with -EBUSY when the page cannot move, which is what
 *	private memory requires: SPTEs point at it without a reference.
 *	-EOPNOTSUPP without CONFIG_CONTIG_ALLOC.
 *
 * Not ABI; tools/testing/selftests/kvm/x86_64/private_mem_test uses them.
 * Each open file has its own gfn.  The files go away (and their
 * operations drain) before the VM is freed, so they use the VM without a
 * reference of their own.
 */

#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <linux/swap.h>

struct private_pfn_file {
	struct kvm *kvm;
	gfn_t gfn;
	bool set;
};

/* The pfn behind @gfn of a private slot, without keeping a reference. */
static int kvm_private_debug_pfn(struct kvm *kvm, gfn_t gfn, kvm_pfn_t *pfn)
{
	struct kvm_memory_slot *slot;
	int idx, order, r = -ENOENT;

	idx = srcu_read_lock(&kvm->srcu);
	slot = gfn_to_memslot(kvm, gfn);
	if (slot && kvm_slot_is_private(slot)) {
		r = kvm_private_mem_get_pfn(slot, gfn, pfn, &order);
		if (!r)
			kvm_private_mem_put_pfn(slot, *pfn);
	}
	srcu_read_unlock(&kvm->srcu, idx);
	return r;
}

static int private_pfn_open(struct inode *inode, struct file *file)
{
	struct private_pfn_file *pf = kzalloc(sizeof(*pf), GFP_KERNEL);

	if (!pf)
		return -ENOMEM;
	pf->kvm = inode->i_private;
	file->private_data = pf;
	return nonseekable_open(inode, file);
}

static int private_pfn_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static int private_pfn_parse(const char __user *ubuf, size_t len, gfn_t *gfn)
{
	u64 val;
	int r = kstrtou64_from_user(ubuf, len, 0, &val);

	if (!r)
		*gfn = val;
	return r;
}

static ssize_t private_pfn_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct private_pfn_file *pf = file->private_data;
	int r = private_pfn_parse(ubuf, len, &pf->gfn);

	if (r)
		return r;
	pf->set = true;
	return len;
}

static ssize_t private_pfn_read(struct file *file, char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct private_pfn_file *pf = file->private_data;
	char buf[24];
	kvm_pfn_t pfn;
	int r, n;

	if (!pf->set)
		return -EINVAL;
	r = kvm_private_debug_pfn(pf->kvm, pf->gfn, &pfn);
	if (r)
		return r;
	n = scnprintf(buf, sizeof(buf), "0x%llx\n", pfn);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations private_pfn_fops = {
	.owner		= THIS_MODULE,
	.open		= private_pfn_open,
	.release	= private_pfn_release,
	.read		= private_pfn_read,
	.write		= private_pfn_write,
	.llseek		= no_llseek,
};

static ssize_t private_migrate_write(struct file *file,
				     const char __user *ubuf, size_t len,
				     loff_t *ppos)
{
	struct kvm *kvm = file_inode(file)->i_private;
	kvm_pfn_t pfn;
	gfn_t gfn;
	int r;

	if (!IS_ENABLED(CONFIG_CONTIG_ALLOC))
		return -EOPNOTSUPP;
	r = private_pfn_parse(ubuf, len, &gfn);
	if (!r)
		r = kvm_private_debug_pfn(kvm, gfn, &pfn);
	if (r)
		return r;
#ifdef CONFIG_CONTIG_ALLOC
	/*
	 * A page still in a per-CPU LRU batch is not on the LRU and looks
	 * unmovable to the isolation: drain, as memory offlining does, so that
	 * only the page's own movability decides.
	 */
	lru_add_drain_all();
	r = alloc_contig_range(pfn, pfn + 1, MIGRATE_MOVABLE,
			       GFP_KERNEL | __GFP_NOWARN);
	if (r)
		return r;
	free_contig_range(pfn, 1);
#endif
	return len;
}

static const struct file_operations private_migrate_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.write		= private_migrate_write,
	.llseek		= no_llseek,
};

/* From kvm_arch_create_vm_debugfs(); nothing on other VMs. */
void kvm_private_mem_create_debugfs(struct kvm *kvm)
{
	if (!kvm_arch_has_private_mem(kvm))
		return;
	debugfs_create_file("private_pfn", 0600, kvm->debugfs_dentry, kvm,
			    &private_pfn_fops);
	debugfs_create_file("private_migrate", 0200, kvm->debugfs_dentry, kvm,
			    &private_migrate_fops);
}
