// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: /sys/firmware/tdx/.
 *
 * Read-only, one value per file and no physical address, so every file
 * is world-readable (Documentation/ABI/testing/sysfs-firmware-tdx).
 * The values come from the summary tdx_enable() publishes when it
 * ends, so a read never waits for a running initialization.  The full
 * layout, addresses included, is in the root-only
 * /sys/kernel/debug/tdx/layout (tdx_debugfs.c).
 *
 * A client of tdx.c: it only reads the summary.
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

#include "tdx_host.h"

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

/*
 * Each file shows one value of the summary; a value not known yet
 * reads as the empty file.
 */
static ssize_t status_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct tdx_summary s;

	tdx_get_summary(&s);
	if (s.backend == TDX_BACKEND_NONE)
		return sysfs_emit(buf, "unavailable\n");
	return sysfs_emit(buf, "%s\n", tdx_state_names[s.state]);
}

static ssize_t backend_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct tdx_summary s;

	tdx_get_summary(&s);
	return sysfs_emit(buf, "%s\n", tdx_backend_names[s.backend]);
}

static ssize_t keyid_range_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct tdx_summary s;

	tdx_get_summary(&s);
	if (!s.nr_keyids)
		return 0;
	return sysfs_emit(buf, "[%u, %u)\n", s.keyid_start,
			  s.keyid_start + s.nr_keyids);
}

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct tdx_summary s;

	tdx_get_summary(&s);
	if (!s.have_sysinfo)
		return 0;
	return sysfs_emit(buf, "%u.%u\n", s.major_version, s.minor_version);
}

static ssize_t vendor_id_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct tdx_summary s;

	tdx_get_summary(&s);
	if (!s.have_sysinfo)
		return 0;
	return sysfs_emit(buf, "%#x\n", s.vendor_id);
}

static ssize_t build_date_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct tdx_summary s;

	tdx_get_summary(&s);
	if (!s.have_sysinfo)
		return 0;
	return sysfs_emit(buf, "%u\n", s.build_date);
}

static ssize_t build_num_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct tdx_summary s;

	tdx_get_summary(&s);
	if (!s.have_sysinfo)
		return 0;
	return sysfs_emit(buf, "%u\n", s.build_num);
}

static ssize_t error_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct tdx_summary s;

	tdx_get_summary(&s);
	if (s.state != TDX_MODULE_ERROR)
		return 0;
	return sysfs_emit(buf, "step %d (%s): %d\n", s.failed_step,
			  s.failed_step_name, s.err);
}

static ssize_t pamt_kb_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct tdx_summary s;

	tdx_get_summary(&s);
	if (s.state != TDX_MODULE_INITIALIZED)
		return 0;
	return sysfs_emit(buf, "%llu\n", s.pamt_kb);
}

static ssize_t nr_tdmrs_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct tdx_summary s;

	tdx_get_summary(&s);
	if (s.state != TDX_MODULE_INITIALIZED)
		return 0;
	return sysfs_emit(buf, "%u\n", s.nr_tdmrs);
}

static struct kobj_attribute tdx_attr_status = __ATTR_RO(status);
static struct kobj_attribute tdx_attr_backend = __ATTR_RO(backend);
static struct kobj_attribute tdx_attr_keyid_range = __ATTR_RO(keyid_range);
static struct kobj_attribute tdx_attr_version = __ATTR_RO(version);
static struct kobj_attribute tdx_attr_vendor_id = __ATTR_RO(vendor_id);
static struct kobj_attribute tdx_attr_build_date = __ATTR_RO(build_date);
static struct kobj_attribute tdx_attr_build_num = __ATTR_RO(build_num);
static struct kobj_attribute tdx_attr_error = __ATTR_RO(error);
static struct kobj_attribute tdx_attr_pamt_kb = __ATTR_RO(pamt_kb);
static struct kobj_attribute tdx_attr_nr_tdmrs = __ATTR_RO(nr_tdmrs);

static struct attribute *tdx_attrs[] = {
	&tdx_attr_status.attr,
	&tdx_attr_backend.attr,
	&tdx_attr_keyid_range.attr,
	&tdx_attr_version.attr,
	&tdx_attr_vendor_id.attr,
	&tdx_attr_build_date.attr,
	&tdx_attr_build_num.attr,
	&tdx_attr_error.attr,
	&tdx_attr_pamt_kb.attr,
	&tdx_attr_nr_tdmrs.attr,
	NULL,
};

static const struct attribute_group tdx_attr_group = {
	.attrs = tdx_attrs,
};

/* /sys/firmware/tdx/; removed only when tdx_host.ko unloads. */
static struct kobject *tdx_sysfs_kobj;

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
	tdx_sysfs_kobj = kobj;
	return 0;
}
late_initcall(tdx_sysfs_init);

/*
 * Out of tree, when tdx_host.ko unloads: removing the files waits for
 * the readers still in a show().  Built in, never called.
 */
static void __exit tdx_sysfs_exit(void)
{
	if (!tdx_sysfs_kobj)		/* tdx_sysfs_init() failed */
		return;
	sysfs_remove_group(tdx_sysfs_kobj, &tdx_attr_group);
	kobject_put(tdx_sysfs_kobj);
}
module_exit(tdx_sysfs_exit);
