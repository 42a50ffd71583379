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
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

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

/*
 * One value of the summary @s, printed with @_fmt when @_known holds;
 * a value not known yet reads as the empty file.
 */
#define TDX_SHOW(_name, _known, _fmt, ...)				\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct tdx_summary s;						\
									\
	tdx_get_summary(&s);						\
	if (!(_known))							\
		return 0;						\
	return sysfs_emit(buf, _fmt "\n", __VA_ARGS__);			\
}									\
static struct kobj_attribute tdx_attr_##_name = __ATTR_RO(_name)

TDX_SHOW(status, true, "%s",
	 tdx_get_backend() == TDX_BACKEND_NONE ? "unavailable" :
	 tdx_state_names[s.state]);
TDX_SHOW(backend, true, "%s", tdx_backend_names[tdx_get_backend()]);
TDX_SHOW(version, s.have_sysinfo, "%u.%u", s.major_version,
	 s.minor_version);
TDX_SHOW(vendor_id, s.have_sysinfo, "%#x", s.vendor_id);
TDX_SHOW(build_date, s.have_sysinfo, "%u", s.build_date);
TDX_SHOW(build_num, s.have_sysinfo, "%u", s.build_num);
TDX_SHOW(error, s.state == TDX_MODULE_ERROR, "step %d (%s): %d",
	 s.failed_step, s.failed_step_name, s.err);
TDX_SHOW(pamt_kb, s.state == TDX_MODULE_INITIALIZED, "%llu", s.pamt_kb);
TDX_SHOW(nr_tdmrs, s.state == TDX_MODULE_INITIALIZED, "%u", s.nr_tdmrs);

static ssize_t keyid_range_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	u32 start, nr;

	tdx_get_keyids(&start, &nr);
	if (!nr)
		return 0;
	return sysfs_emit(buf, "[%u, %u)\n", start, start + nr);
}

static struct kobj_attribute tdx_attr_keyid_range = __ATTR_RO(keyid_range);

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
