/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 page-fault path asks the software TDX module whether a
 * faulting kernel address is a TD-owned page it took out of the
 * direct map (arch/x86/virt/vmx/tdx/tdx_swmod_report.c).
 */
#ifndef _ASM_X86_TDX_FAULT_H
#define _ASM_X86_TDX_FAULT_H

#ifdef CONFIG_INTEL_TDX_SWMOD_UNMAP
void tdx_swmod_report_fault(unsigned long address);
#else
static inline void tdx_swmod_report_fault(unsigned long address) { }
#endif

#endif /* _ASM_X86_TDX_FAULT_H */
