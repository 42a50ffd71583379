// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_TDX_CAPABILITIES and TD_PARAMS, computed from their inputs only:
 * see tdx_params.h.  The rules are those of the 2022 TDX uAPI
 * (Documentation/virt/kvm/x86/intel-tdx.rst); where KVM refuses what the
 * TDX module would refuse anyway, it does so first, with an errno that
 * names the field, rather than leave userspace to decode a SEAMCALL
 * status.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "tdx_params.h"

/* CPUID 0x80000008.EAX[7:0] when userspace gave no such leaf */
#define TDX_DEFAULT_MAX_PA	36

/**
 * tdx_caps_fill() - KVM_TDX_CAPABILITIES from the module's sysinfo
 * @si: the sysinfo
 * @caps: the header and @room entries of cpuid_configs[] to fill
 * @room: what userspace said cpuid_configs[] holds
 *
 * Return: 0; -E2BIG if @room is too small, with caps->nr_cpuid_configs
 * set to the number needed and nothing else filled.
 */
int tdx_caps_fill(const struct tdx_td_sysinfo *si,
		  struct kvm_tdx_capabilities *caps, u32 room)
{
	unsigned int i;

	caps->nr_cpuid_configs = si->num_cpuid_config;
	if (room < si->num_cpuid_config)
		return -E2BIG;
	caps->attrs_fixed0 = si->attributes_fixed0;
	caps->attrs_fixed1 = si->attributes_fixed1;
	caps->xfam_fixed0 = si->xfam_fixed0;
	caps->xfam_fixed1 = si->xfam_fixed1;
	caps->padding = 0;
	for (i = 0; i < si->num_cpuid_config; i++) {
		struct kvm_tdx_cpuid_config *c = &caps->cpuid_configs[i];

		c->leaf = si->cpuid_configs[i].leaf;
		c->sub_leaf = si->cpuid_configs[i].sub_leaf;
		c->eax = si->cpuid_configs[i].eax;
		c->ebx = si->cpuid_configs[i].ebx;
		c->ecx = si->cpuid_configs[i].ecx;
		c->edx = si->cpuid_configs[i].edx;
	}
	return 0;
}

static bool tdx_bytes_zero(const void *p, size_t len)
{
	const u8 *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

/**
 * tdx_init_vm_check() - The shape of KVM_TDX_INIT_VM's argument
 * @init: the whole 16 KiB, copied from userspace
 * @max_vcpus: the most vCPUs KVM allows a VM
 *
 * Return: 0, or -EINVAL for a reserved field that is not zero, a CPUID
 * array that overruns the structure or is followed by non-zero bytes,
 * or a vCPU count of 0 or above @max_vcpus.
 */
int tdx_init_vm_check(const struct kvm_tdx_init_vm *init, u32 max_vcpus)
{
	size_t end;

	if (init->padding || init->cpuid.padding)
		return -EINVAL;
	if (init->cpuid.nent > TDX_INIT_VM_MAX_CPUID)
		return -EINVAL;
	end = offsetof(struct kvm_tdx_init_vm, entries) +
	      init->cpuid.nent * sizeof(struct kvm_cpuid_entry2);
	if (!tdx_bytes_zero((const u8 *)init + end, sizeof(*init) - end))
		return -EINVAL;
	if (!init->max_vcpus || init->max_vcpus > max_vcpus)
		return -EINVAL;
	return 0;
}

/* The entry for @leaf/@sub_leaf (TDX_CPUID_NO_SUBLEAF: any), or NULL. */
static const struct kvm_cpuid_entry2 *
tdx_find_cpuid(const struct kvm_tdx_init_vm *init, u32 leaf, u32 sub_leaf)
{
	const struct kvm_cpuid_entry2 *e;
	u32 i;

	for (i = 0; i < init->cpuid.nent; i++) {
		e = &init->entries[i];
		if (e->function == leaf &&
		    (sub_leaf == TDX_CPUID_NO_SUBLEAF || e->index == sub_leaf))
			return e;
	}
	return NULL;
}

static int tdx_params_attributes(const struct kvm_tdx_init_vm *init,
				 const struct tdx_td_sysinfo *si,
				 struct td_params *p)
{
	u64 attr = init->attributes;

	/* KVM does not virtualize the PMU for TDs. */
	if (attr & TDX_TD_ATTR_PERFMON)
		return -EOPNOTSUPP;
	if ((attr & ~si->attributes_fixed0) ||
	    (attr & si->attributes_fixed1) != si->attributes_fixed1)
		return -EINVAL;
	p->attributes = attr;
	return 0;
}

/*
 * XFAM: the XSAVE features of CPUID 0xD.0 (XCR0) and 0xD.1 (XSS) that
 * the host supports.  Asking for arch LBRs or AMX is refused: KVM does
 * not support them in TDs, whether or not the host has them.
 */
static int tdx_params_xfam(const struct kvm_tdx_init_vm *init,
			   const struct tdx_td_sysinfo *si,
			   const struct tdx_host_caps *host,
			   struct td_params *p)
{
	const struct kvm_cpuid_entry2 *e;
	u64 want = 0, xfam = 0;

	e = tdx_find_cpuid(init, 0xd, 0);
	if (e) {
		want = e->eax | ((u64)e->edx << 32);
		xfam = want & host->supported_xcr0;
	}
	e = tdx_find_cpuid(init, 0xd, 1);
	if (e) {
		u64 xss = e->ecx | ((u64)e->edx << 32);

		want |= xss;
		xfam |= xss & host->supported_xss;
	}
	if (want & (TDX_XFAM_LBR | TDX_XFAM_AMX))
		return -EOPNOTSUPP;
	/* x87 and SSE state: architecturally always on. */
	xfam |= si->xfam_fixed1;
	if (xfam & ~si->xfam_fixed0)
		return -EINVAL;
	p->xfam = xfam;
	return 0;
}

/*
 * Guest physical address width from CPUID 0x80000008.EAX[7:0]: above
 * 48 bits a TD needs 5-level EPT and GPAW 52, else it gets 4-level EPT
 * and GPAW 48 (the shared bit is GPA bit 51 or 47).
 */
static void tdx_params_gpaw(const struct kvm_tdx_init_vm *init,
			    const struct tdx_host_caps *host,
			    struct td_params *p)
{
	const struct kvm_cpuid_entry2 *e;
	u32 max_pa = TDX_DEFAULT_MAX_PA;

	e = tdx_find_cpuid(init, 0x80000008, 0);
	if (e)
		max_pa = e->eax & 0xff;
	if (max_pa > 48 && host->ept_5level) {
		p->eptp_controls = TDX_EPTP_MT_WB |
				   TDX_EPTP_PWL_5LEVEL << TDX_EPTP_PWL_SHIFT;
		p->exec_controls = TDX_EXEC_CONTROL_MAX_GPAW;
	} else {
		p->eptp_controls = TDX_EPTP_MT_WB |
				   TDX_EPTP_PWL_4LEVEL << TDX_EPTP_PWL_SHIFT;
		p->exec_controls = 0;
	}
}

/* The TD's TSC, in 25 MHz units: the nearest one, 100 MHz to 10 GHz. */
static int tdx_params_tsc(const struct tdx_host_caps *host,
			  struct td_params *p)
{
	u32 units = (host->tsc_khz + TDX_TSC_KHZ_PER_UNIT / 2) /
		    TDX_TSC_KHZ_PER_UNIT;

	if (units < TDX_TSC_FREQ_MIN || units > TDX_TSC_FREQ_MAX)
		return -EINVAL;
	p->tsc_frequency = units;
	return 0;
}

/* Each configurable leaf: what userspace gave, within what may be set. */
static void tdx_params_cpuid(const struct kvm_tdx_init_vm *init,
			     const struct tdx_td_sysinfo *si,
			     struct td_params *p)
{
	const struct kvm_cpuid_entry2 *e;
	unsigned int i;

	for (i = 0; i < si->num_cpuid_config; i++) {
		e = tdx_find_cpuid(init, si->cpuid_configs[i].leaf,
				   si->cpuid_configs[i].sub_leaf);
		if (!e)
			continue;
		p->cpuid_values[i].eax = e->eax & si->cpuid_configs[i].eax;
		p->cpuid_values[i].ebx = e->ebx & si->cpuid_configs[i].ebx;
		p->cpuid_values[i].ecx = e->ecx & si->cpuid_configs[i].ecx;
		p->cpuid_values[i].edx = e->edx & si->cpuid_configs[i].edx;
	}
}

/**
 * tdx_td_params_build() - TD_PARAMS for TDH.MNG.INIT
 * @init: KVM_TDX_INIT_VM's argument, checked by tdx_init_vm_check()
 * @si: the module's sysinfo (at most TDX_MAX_CPUID_CONFIGS configs)
 * @host: what the host offers
 * @p: filled; every reserved byte zero
 *
 * Return: 0; -EOPNOTSUPP for PERFMON, arch LBRs or AMX; -EINVAL for
 * attributes or XSAVE features the module does not allow, or a TSC
 * frequency outside 100 MHz..10 GHz.
 */
int tdx_td_params_build(const struct kvm_tdx_init_vm *init,
			const struct tdx_td_sysinfo *si,
			const struct tdx_host_caps *host,
			struct td_params *p)
{
	int ret;

	memset(p, 0, sizeof(*p));
	if (si->num_cpuid_config > TDX_MAX_CPUID_CONFIGS)
		return -EINVAL;
	ret = tdx_params_attributes(init, si, p);
	if (ret)
		return ret;
	ret = tdx_params_xfam(init, si, host, p);
	if (ret)
		return ret;
	p->max_vcpus = init->max_vcpus;
	tdx_params_gpaw(init, host, p);
	ret = tdx_params_tsc(host, p);
	if (ret)
		return ret;
	memcpy(p->mr_config_id, init->mrconfigid, sizeof(p->mr_config_id));
	memcpy(p->mr_owner, init->mrowner, sizeof(p->mr_owner));
	memcpy(p->mr_owner_config, init->mrownerconfig,
	       sizeof(p->mr_owner_config));
	tdx_params_cpuid(init, si, p);
	return 0;
}
