// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: /sys/firmware/tdx/.
 *
 * Read-only, one value per file and no physical address, so every file
 * is world-readable (Documentation/ABI/testing/sysfs-firmware-tdx).
 * The full layout, addresses included, is in the root-only
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

TDX_SHOW(pamt_kb, ({
	if (v->tdmrs)
		EMIT("%llu\n", tdmrs_pamt_bytes(v->tdmrs) / 1024);
}));

TDX_SHOW(nr_tdmrs, ({
	if (v->tdmrs)
		EMIT("%u\n", v->tdmrs->nr_tdmrs);
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
