// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: diagnostics.
 *
 * /sys/firmware/tdx/ (read-only, Documentation/ABI/testing/sysfs-firmware-tdx)
 * shows the backend, the KeyIDs, the module version and the layout the
 * kernel gave it.  /sys/kernel/debug/tdx/ holds the test trigger and
 * counters (Documentation/x86/tdx-host.rst).
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/ktime.h>
#include <linux/string.h>

#include "tdx.h"
#include "tdx_host.h"
#include "tdx_swmod.h"

static const char * const tdx_backend_names[] = {
	[TDX_BACKEND_NONE]	= "none",
	[TDX_BACKEND_SEAM]	= "seam",
	[TDX_BACKEND_SOFTWARE]	= "software",
};

static const char * const tdx_state_names[] = {
	[TDX_MODULE_UNINITIALIZED]	= "uninitialized",
	[TDX_MODULE_INITIALIZED]	= "initialized",
	[TDX_MODULE_ERROR]		= "error",
};

/* Every show function renders a tdx_state_view into a sysfs buffer. */
struct tdx_show {
	char *buf;
	int len;
};

#define TDX_SHOW(_name, _fn)						\
static int _name##_render(const struct tdx_state_view *v, void *arg)	\
{									\
	struct tdx_show *s = arg;					\
	char *buf = s->buf;						\
									\
	s->len = 0;							\
	_fn;								\
	return 0;							\
}									\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct tdx_show s = { .buf = buf };				\
									\
	tdx_with_state(_name##_render, &s);				\
	return s.len;							\
}									\
static struct kobj_attribute tdx_attr_##_name = __ATTR_RO(_name)

#define EMIT(...)	(s->len += sysfs_emit_at(buf, s->len, __VA_ARGS__))

TDX_SHOW(status,
	 EMIT("%s\n", tdx_get_backend() == TDX_BACKEND_NONE ? "unavailable" :
		      tdx_state_names[v->state]));

TDX_SHOW(backend, EMIT("%s\n", tdx_backend_names[tdx_get_backend()]));

TDX_SHOW(keyid_range, ({
	u32 start, nr;

	tdx_get_keyids(&start, &nr);
	if (nr)
		EMIT("[%u, %u)\n", start, start + nr);
}));

TDX_SHOW(version, ({
	if (v->sysinfo)
		EMIT("%u.%u\n", v->sysinfo->major_version,
		     v->sysinfo->minor_version);
}));

TDX_SHOW(vendor_id, ({
	if (v->sysinfo)
		EMIT("%#x\n", v->sysinfo->vendor_id);
}));

TDX_SHOW(build_date, ({
	if (v->sysinfo)
		EMIT("%u\n", v->sysinfo->build_date);
}));

TDX_SHOW(build_num, ({
	if (v->sysinfo)
		EMIT("%u\n", v->sysinfo->build_num);
}));

TDX_SHOW(error, ({
	if (v->state == TDX_MODULE_ERROR)
		EMIT("step %d (%s): %d\n", v->failed_step,
		     v->failed_step_name, v->err);
}));

TDX_SHOW(cmrs, ({
	unsigned int i;

	for (i = 0; i < v->nr_cmrs; i++)
		EMIT("%#llx-%#llx\n", v->cmrs[i].base,
		     v->cmrs[i].base + v->cmrs[i].size);
}));

TDX_SHOW(pamt_kb, ({
	if (v->tdmrs)
		EMIT("%llu\n", tdmrs_pamt_bytes(v->tdmrs) / 1024);
}));

TDX_SHOW(tdmrs, ({
	unsigned int i;

	for (i = 0; v->tdmrs && i < v->tdmrs->nr_tdmrs; i++) {
		const struct tdmr_info *t = tdmr_entry(v->tdmrs, i);
		const struct tdx_pamt *p = &v->tdmrs->pamt[i];

		EMIT("%#llx-%#llx pamt=%#llx-%#llx nid=%d reserved=%u\n",
		     t->base, tdmr_end(t), p->base, p->base + p->size,
		     p->nid, v->tdmrs->nr_rsvd[i]);
	}
}));

static struct attribute *tdx_attrs[] = {
	&tdx_attr_status.attr,
	&tdx_attr_backend.attr,
	&tdx_attr_keyid_range.attr,
	&tdx_attr_version.attr,
	&tdx_attr_vendor_id.attr,
	&tdx_attr_build_date.attr,
	&tdx_attr_build_num.attr,
	&tdx_attr_error.attr,
	&tdx_attr_cmrs.attr,
	&tdx_attr_pamt_kb.attr,
	&tdx_attr_tdmrs.attr,
	NULL,
};

static const struct attribute_group tdx_attr_group = {
	.attrs = tdx_attrs,
};

/* ---- debugfs ------------------------------------------------------- */

/*
 * The test trigger: any write runs tdx_enable() and returns its error.
 * On real SEAM, VMXON exists on 6.1 only while KVM has VMX enabled, so
 * the trigger refuses and says that KVM must do the enabling.
 */
static ssize_t tdx_init_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	int ret;

	if (tdx_get_backend() == TDX_BACKEND_SEAM) {
		pr_info("debugfs init: the real TDX module needs VMX on every CPU; KVM (kvm_intel) must initialize it\n");
		return -EOPNOTSUPP;
	}
	ret = tdx_enable();
	return ret ? ret : count;
}

static const struct file_operations tdx_init_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = tdx_init_write,
	.llseek = noop_llseek,
};

static int tdx_pamt_pages_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "%ld\n", tdx_pamt_pages_allocated());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tdx_pamt_pages);

static int tdx_swmod_stats_show(struct seq_file *m, void *unused)
{
	tdx_swmod_show_stats(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tdx_swmod_stats);

/*
 * Benchmark: tdx_enable() time against the floor, the time to zero as
 * much memory as the PAMTs take.  Allocates and zeroes a copy of each
 * PAMT's size, never touches the PAMTs themselves.
 */
static int tdx_bench_render(const struct tdx_state_view *v, void *arg)
{
	struct seq_file *m = arg;
	u64 zero_ns = 0, bytes = 0;
	unsigned int i;

	if (!v->tdmrs) {
		seq_puts(m, "not initialized\n");
		return 0;
	}
	for (i = 0; i < v->tdmrs->nr_tdmrs; i++) {
		unsigned long nr = v->tdmrs->pamt[i].size >> PAGE_SHIFT, k;
		struct page *page;
		u64 t0;

		page = alloc_contig_pages(nr, GFP_KERNEL, first_online_node,
					  &node_online_map);
		if (!page)
			return -ENOMEM;
		t0 = ktime_get_ns();
		for (k = 0; k < nr; k++)
			clear_page(page_address(page + k));
		zero_ns += ktime_get_ns() - t0;
		bytes += v->tdmrs->pamt[i].size;
		free_contig_range(page_to_pfn(page), nr);
	}
	seq_printf(m, "pamt_kb %llu tdmrs %u enable_us %llu zero_us %llu\n",
		   bytes / 1024, v->tdmrs->nr_tdmrs, v->enable_ns / 1000,
		   zero_ns / 1000);
	return 0;
}

static int tdx_bench_show(struct seq_file *m, void *unused)
{
	return tdx_with_state(tdx_bench_render, m);
}
DEFINE_SHOW_ATTRIBUTE(tdx_bench);

static void __init tdx_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("tdx", NULL);

	debugfs_create_file("init", 0200, dir, NULL, &tdx_init_fops);
	debugfs_create_file("pamt_pages", 0444, dir, NULL,
			    &tdx_pamt_pages_fops);
	debugfs_create_file("bench", 0444, dir, NULL, &tdx_bench_fops);
	if (tdx_get_backend() == TDX_BACKEND_SOFTWARE)
		debugfs_create_file("swmod_stats", 0444, dir, NULL,
				    &tdx_swmod_stats_fops);
}

static int __init tdx_sysfs_init(void)
{
	struct kobject *kobj;
	int ret;

	kobj = kobject_create_and_add("tdx", firmware_kobj);
	if (!kobj)
		return -ENOMEM;
	ret = sysfs_create_group(kobj, &tdx_attr_group);
	if (ret) {
		kobject_put(kobj);
		return ret;
	}
	tdx_debugfs_init();

	/* tdx_swmod=...,init: initialize now, for demos and tests. */
	if (tdx_swmod_init_at_boot())
		tdx_enable();
	return 0;
}
late_initcall(tdx_sysfs_init);
