// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: /sys/kernel/debug/tdx/, diagnostics and test hooks
 * (Documentation/x86/tdx-host.rst).  Not an ABI; every file is
 * root-only.
 *
 *   init		write: run tdx_enable()
 *   lp_check		write a CPU number: TDH.SYS.INFO on that CPU
 *   layout		the TDMRs, PAMTs, reserved areas and CMRs, in the
 *			"virt/tdx: layout:" lines "tdx-plan check" replays
 *   pamt_pages		PAMT pages allocated
 *   bench		tdx_enable() time against the PAMT zeroing floor
 *   swmod_stats	software module: per-leaf counters
 *   swmod/fail		software module: arm faults at run time
 *   swmod/reset	software module: forget a failed initialization
 *   swmod/init_delay_ms	software module: a slow initialization
 *   swmod/owned_pages	software module: 4 KiB pages TDs own
 *   swmod/leaked_pages	pages the host could not reclaim
 *   swmod/touch_td_page	software module: a host read of a TD page
 *   swmod/vp_exit	software module: the exit the next TDH.VP.ENTER
 *			returns (tdvmcall, ept, none), entries, and the
 *			last entered vCPU's R10..R15
 *
 * A client of tdx.c (the state, tdx_enable()) and of the software
 * module's test knobs.
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/kernel.h>
#include <linux/cpu.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "tdx.h"
#include "tdx_host.h"
#include "tdx_swmod.h"
#include <asm/tdx_tdh.h>

/*
 * Longer than any fault spec ("key_config:1:10:0x8000080000000000:entropy")
 * and any vp_exit write (a "tdvmcall" with seven 64-bit numbers, even
 * in octal, is under 180 bytes).
 */
#define TDX_DEBUGFS_WRITE_MAX	256

/*
 * Every write handler has one shape: the bytes written (at most
 * TDX_DEBUGFS_WRITE_MAX - 1, at offset 0, NUL-terminated, without a
 * trailing newline) and their number go to an action, whose error the
 * write returns.
 */
typedef int (*tdx_debugfs_action)(char *buf, size_t len);

static ssize_t tdx_debugfs_run(tdx_debugfs_action action,
			       const char __user *ubuf, size_t count,
			       loff_t *ppos)
{
	size_t written = count;
	char *buf;
	int ret;

	if (*ppos || !count || count >= TDX_DEBUGFS_WRITE_MAX)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (buf[count - 1] == '\n')
		buf[--count] = '\0';
	ret = action(buf, count);
	kfree(buf);
	return ret ? ret : written;
}

/* The write-only files: the action is the file's private data. */
static ssize_t tdx_debugfs_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	return tdx_debugfs_run(file->private_data, ubuf, count, ppos);
}

static const struct file_operations tdx_debugfs_write_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = tdx_debugfs_write,
	.llseek = noop_llseek,
};

static void __init tdx_debugfs_create_action(const char *name,
					     struct dentry *dir,
					     tdx_debugfs_action action)
{
	debugfs_create_file(name, 0200, dir, action, &tdx_debugfs_write_fops);
}

static enum tdx_backend tdx_debugfs_backend(void)
{
	struct tdx_summary s;

	tdx_get_summary(&s);
	return s.backend;
}

/*
 * The test trigger: any write runs tdx_enable() and returns its error.
 * On real SEAM, VMXON exists on 6.1 only while KVM has VMX enabled, so
 * the trigger refuses and says that KVM must do the enabling.
 */
static int tdx_init_action(char *buf, size_t len)
{
	int ret;

	if (tdx_debugfs_backend() == TDX_BACKEND_SEAM) {
		pr_info("debugfs init: the real TDX module needs VMX on every CPU; KVM (kvm_intel) must initialize it\n");
		return -EOPNOTSUPP;
	}
	cpus_read_lock();
	ret = tdx_enable();
	cpus_read_unlock();
	return ret;
}

static int tdx_lp_check_one(void *unused)
{
	return tdx_sysinfo_this_cpu();
}

/*
 * Writing a CPU number runs TDH.SYS.INFO on that CPU; the write fails
 * with its error.  Shows that a CPU still takes SEAMCALLs, e.g. after
 * an offline/online cycle.
 */
static int tdx_lp_check_action(char *buf, size_t len)
{
	struct tdx_summary s;
	unsigned int cpu;
	int ret;

	ret = kstrtouint(buf, 0, &cpu);
	if (ret)
		return ret;
	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	tdx_get_summary(&s);
	if (s.state != TDX_MODULE_INITIALIZED)
		return -EAGAIN;

	cpus_read_lock();
	if (cpu_online(cpu))
		ret = smp_call_on_cpu(cpu, tdx_lp_check_one, NULL, true);
	else
		ret = -ENXIO;
	cpus_read_unlock();
	return ret;
}

/*
 * The layout of an initialized module, in the format of the lines
 * tdx_enable() prints when TDH.SYS.CONFIG refuses it, with the CMRs and
 * limits, so that the file alone replays in "tdx-plan check".  Empty
 * before initialization.  Physical addresses of kernel allocations:
 * root only.
 */
static int tdx_layout_render(const struct tdx_host *h, void *arg)
{
	struct seq_file *m = arg;
	unsigned int i, j;

	if (h->state != TDX_MODULE_INITIALIZED)
		return 0;
	seq_printf(m, "virt/tdx: layout: limits max_tdmrs=%u max_reserved=%u pamt_entry=%u\n",
		   h->sysinfo->max_tdmrs, h->sysinfo->max_reserved_per_tdmr,
		   h->sysinfo->pamt_entry_size);
	for (i = 0; i < h->nr_cmrs; i++)
		seq_printf(m, "virt/tdx: layout: cmr %#llx %#llx\n",
			   h->cmrs[i].base, h->cmrs[i].base + h->cmrs[i].size);
	for (i = 0; i < h->tdmrs.nr_tdmrs; i++) {
		const struct tdmr_info *t = tdmr_list_entry(&h->tdmrs, i);

		seq_printf(m, "virt/tdx: layout: tdmr %#llx %#llx\n",
			   t->base, tdmr_end(t));
		seq_printf(m, "virt/tdx: layout: pamt_4k %#llx %#llx\n",
			   t->pamt_4k_base, t->pamt_4k_size);
		seq_printf(m, "virt/tdx: layout: pamt_2m %#llx %#llx\n",
			   t->pamt_2m_base, t->pamt_2m_size);
		seq_printf(m, "virt/tdx: layout: pamt_1g %#llx %#llx\n",
			   t->pamt_1g_base, t->pamt_1g_size);
		for (j = 0; j < h->tdmrs.nr_rsvd[i]; j++) {
			const struct tdmr_reserved_area *r =
				&t->reserved_areas[j];

			seq_printf(m, "virt/tdx: layout: rsvd %#llx %#llx\n",
				   t->base + r->offset,
				   t->base + r->offset + r->size);
		}
	}
	return 0;
}

static int tdx_layout_show(struct seq_file *m, void *unused)
{
	return tdx_with_state(tdx_layout_render, m);
}
DEFINE_SHOW_ATTRIBUTE(tdx_layout);

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
 * PAMT's size, on its node inside TDX memory, through the same glue as
 * the PAMTs (tdx_pamt_alloc(), so both builds can run it); never
 * touches the PAMTs themselves.  Runs under the module lock, as the
 * glue requires.
 */
static int tdx_bench_render(const struct tdx_host *h, void *arg)
{
	const struct tdmr_list *list = &h->tdmrs;
	struct seq_file *m = arg;
	u64 zero_ns = 0, bytes = 0, lo, hi;
	unsigned int i;

	if (h->state != TDX_MODULE_INITIALIZED) {
		seq_puts(m, "not initialized\n");
		return 0;
	}
	lo = h->mem[0].start;
	hi = h->mem[h->nr_mem - 1].end;
	for (i = 0; i < list->nr_tdmrs; i++) {
		unsigned long nr = list->pamt[i].size >> PAGE_SHIFT, k;
		u64 base, t0;
		int ret;

		ret = tdx_pamt_alloc(nr, list->pamt[i].nid, lo, hi, &base);
		if (ret)
			return ret;
		t0 = ktime_get_ns();
		for (k = 0; k < nr; k++)
			clear_page(__va(base + k * PAGE_SIZE));
		zero_ns += ktime_get_ns() - t0;
		bytes += list->pamt[i].size;
		tdx_pamt_free(base, nr);
	}
	seq_printf(m, "pamt_kb %llu tdmrs %u enable_us %llu zero_us %llu\n",
		   bytes / 1024, list->nr_tdmrs, h->enable_ns / 1000,
		   zero_ns / 1000);
	return 0;
}

static int tdx_bench_show(struct seq_file *m, void *unused)
{
	return tdx_with_state(tdx_bench_render, m);
}
DEFINE_SHOW_ATTRIBUTE(tdx_bench);

/* ---- swmod/: software module test hooks ---------------------------- */

/*
 * Write one fault in the tdx_swmod= "fail=" syntax (without "fail="),
 * or "none".  Anything else is -EINVAL, and the kernel log says what
 * the syntax is.
 */
static int tdx_swmod_fail_action(char *spec, size_t len)
{
	char *shown;
	int ret;

	shown = kstrdup(spec, GFP_KERNEL);	/* the parser cuts spec up */
	if (!shown)
		return -ENOMEM;
	/* No NUL or newline inside: one fault per write. */
	if (!len || strcspn(spec, "\n") != len)
		ret = -EINVAL;
	else
		ret = tdx_swmod_arm_fault(spec);
	if (ret == -EINVAL)
		pr_warn("software module: bad fault '%s': want LEAF[:NTH[:TIMES[:STATUS[:entropy]]]] or none\n",
			shown);
	else if (ret == -ENOSPC)
		pr_warn("software module: cannot arm '%s': every fault slot is armed; write none first\n",
			shown);
	else if (!ret)
		pr_info("software module: fault armed at run time: %s\n",
			shown);
	kfree(shown);
	return ret;
}

static int tdx_swmod_fail_show(struct seq_file *m, void *unused)
{
	tdx_swmod_show_faults(m);
	return 0;
}

static int tdx_swmod_fail_open(struct inode *inode, struct file *file)
{
	return single_open(file, tdx_swmod_fail_show, NULL);
}

/* Reads show the armed faults; writes go to tdx_swmod_fail_action(). */
static ssize_t tdx_swmod_fail_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	return tdx_debugfs_run(tdx_swmod_fail_action, ubuf, count, ppos);
}

static const struct file_operations tdx_swmod_fail_fops = {
	.owner = THIS_MODULE,
	.open = tdx_swmod_fail_open,
	.read = seq_read,
	.write = tdx_swmod_fail_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * Write "tdvmcall MASK R10 R11 R12 R13 R14 R15", "ept GPA QUAL" or
 * "none": tdx_swmod_arm_vp_exit().  No NUL or newline inside.
 */
static int tdx_swmod_vp_exit_action(char *spec, size_t len)
{
	if (strcspn(spec, "\n") != len)
		return -EINVAL;
	return tdx_swmod_arm_vp_exit(spec);
}

static int tdx_swmod_vp_exit_show(struct seq_file *m, void *unused)
{
	tdx_swmod_show_vp_exit(m);
	return 0;
}

static int tdx_swmod_vp_exit_open(struct inode *inode, struct file *file)
{
	return single_open(file, tdx_swmod_vp_exit_show, NULL);
}

/* Reads show the three lines; writes go to tdx_swmod_vp_exit_action(). */
static ssize_t tdx_swmod_vp_exit_write(struct file *file,
				       const char __user *ubuf, size_t count,
				       loff_t *ppos)
{
	return tdx_debugfs_run(tdx_swmod_vp_exit_action, ubuf, count, ppos);
}

static const struct file_operations tdx_swmod_vp_exit_fops = {
	.owner = THIS_MODULE,
	.open = tdx_swmod_vp_exit_open,
	.read = seq_read,
	.write = tdx_swmod_vp_exit_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* Any write: see tdx_swmod_reset_module(). */
static int tdx_swmod_reset_action(char *buf, size_t len)
{
	return tdx_swmod_reset_module();
}

static int tdx_init_delay_get(void *data, u64 *val)
{
	*val = tdx_swmod_get_init_delay();
	return 0;
}

/* At most a minute: a test knob, not a way to hang tdx_enable(). */
static int tdx_init_delay_set(void *data, u64 val)
{
	if (val > 60000)
		return -EINVAL;
	tdx_swmod_set_init_delay(val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(tdx_init_delay_fops, tdx_init_delay_get,
			 tdx_init_delay_set, "%llu\n");

/* Pages the software module counts as TD-owned (PAMT not NDA/RSVD). */
static int tdx_owned_pages_get(void *data, u64 *val)
{
	*val = tdx_swmod_owned_pages();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(tdx_owned_pages_fops, tdx_owned_pages_get, NULL,
			 "%llu\n");

/* Pages the host leaked because their reclaim failed (tdx_guest.c). */
static int tdx_leaked_pages_get(void *data, u64 *val)
{
	*val = tdx_leaked_pages();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(tdx_leaked_pages_fops, tdx_leaked_pages_get, NULL,
			 "%llu\n");

/* Any write: a TD page read from the host, see tdx_swmod_touch_td_page(). */
static int tdx_swmod_touch_action(char *buf, size_t len)
{
	return tdx_swmod_touch_td_page();
}

static void __init tdx_debugfs_swmod_init(struct dentry *parent)
{
	struct dentry *dir = debugfs_create_dir("swmod", parent);

	debugfs_create_file("fail", 0600, dir, NULL, &tdx_swmod_fail_fops);
	debugfs_create_file("vp_exit", 0600, dir, NULL,
			    &tdx_swmod_vp_exit_fops);
	tdx_debugfs_create_action("reset", dir, tdx_swmod_reset_action);
	debugfs_create_file_unsafe("init_delay_ms", 0600, dir, NULL,
				   &tdx_init_delay_fops);
	debugfs_create_file_unsafe("owned_pages", 0400, dir, NULL,
				   &tdx_owned_pages_fops);
	debugfs_create_file_unsafe("leaked_pages", 0400, dir, NULL,
				   &tdx_leaked_pages_fops);
	if (IS_ENABLED(CONFIG_INTEL_TDX_SWMOD_UNMAP))
		tdx_debugfs_create_action("touch_td_page", dir,
					  tdx_swmod_touch_action);
}

/* /sys/kernel/debug/tdx/; removed only when tdx_host.ko unloads. */
static struct dentry *tdx_debugfs_dir;

static int __init tdx_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("tdx", NULL);

	tdx_debugfs_dir = dir;

	/* Also without TDX: the trigger then fails with -ENODEV. */
	tdx_debugfs_create_action("init", dir, tdx_init_action);
	debugfs_create_file("layout", 0400, dir, NULL, &tdx_layout_fops);
	debugfs_create_file("pamt_pages", 0400, dir, NULL,
			    &tdx_pamt_pages_fops);
	debugfs_create_file("bench", 0400, dir, NULL, &tdx_bench_fops);
	if (platform_tdx_enabled())
		tdx_debugfs_create_action("lp_check", dir, tdx_lp_check_action);
	if (tdx_debugfs_backend() == TDX_BACKEND_SOFTWARE) {
		debugfs_create_file("swmod_stats", 0400, dir, NULL,
				    &tdx_swmod_stats_fops);
		tdx_debugfs_swmod_init(dir);
	}
	return 0;
}
late_initcall(tdx_debugfs_init);

/*
 * Out of tree, when tdx_host.ko unloads: an open file holds a module
 * reference (the fops' owner), and debugfs waits for the calls in
 * flight.  Built in, never called.
 */
static void __exit tdx_debugfs_exit(void)
{
	debugfs_remove_recursive(tdx_debugfs_dir);
}
module_exit(tdx_debugfs_exit);
