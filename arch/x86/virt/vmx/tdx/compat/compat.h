/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What Debian's stock 6.1 kernel lacks for the TDX host core built as
 * the out-of-tree module tdx_host.ko.  The Kbuild description (../Makefile)
 * force-includes this header into every C file of the module build,
 * never into the in-tree build.  Each block names the in-tree mechanism
 * it stands in for; the replacements live in ../tdx_module.c and
 * ../tdx_module_mem.c.  Where the core has a glue interface of its own
 * (tdx_host.h: tdx_memsrc_walk(), tdx_pamt_alloc()), the module links
 * another implementation instead of redefining kernel names here.
 */
#ifndef _X86_VIRT_TDX_COMPAT_H
#define _X86_VIRT_TDX_COMPAT_H

/*
 * Every file of the core that prints says "virt/tdx: "; defined before
 * the headers below, which would otherwise define an empty prefix that
 * the files' own (identical) definitions then clash with.  Files that
 * print with their own prefix (swmod/swmod_kplat.c, compat/kunit.c) are
 * built with TDX_COMPAT_OWN_PR_FMT (../Makefile).
 */
#ifndef TDX_COMPAT_OWN_PR_FMT
#define pr_fmt(fmt) "virt/tdx: " fmt
#endif

/* Included first, so that the definitions below are the last word. */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/memory_hotplug.h>
#include <linux/acpi.h>
#include <linux/cpu.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/kexec.h>
#include <asm/e820/api.h>
#include <asm/msr-index.h>
#include <asm/trapnr.h>
#include <asm/tdx.h>

/* The module always carries the software TDX module (swmod=on). */
#define CONFIG_INTEL_TDX_SWMOD 1

/* patches/0204 (msr-index.h). */
#ifndef MSR_IA32_MKTME_KEYID_PARTITIONING
#define MSR_IA32_MKTME_KEYID_PARTITIONING	0x00000087
#endif

/* patches/0201 (asm/tdx.h): SEAMCALL faults and the host interface. */
#define TDX_SEAMCALL_GP			(TDX_SW_ERROR | X86_TRAP_GP)
#define TDX_SEAMCALL_UD			(TDX_SW_ERROR | X86_TRAP_UD)
bool platform_tdx_enabled(void);
bool tdx_module_is_software(void);
int tdx_enable(void);

/* patches/0400 (asm/tdx.h): the flushes kexec calls, from the glue here. */
void tdx_cpu_stop_flush(void);
void tdx_kexec_flush(void);

/*
 * Initcalls: built in, the core's files initialize at several levels;
 * a module has one init function.  Each initcall becomes a pointer
 * named after its function, tdx_initcall_FN, which tdx_module.c calls
 * in the built-in order (a new initcall is a link error until listed).
 */
#undef early_initcall
#undef subsys_initcall
#undef late_initcall
#undef late_initcall_sync
#define tdx_module_initcall(fn)	initcall_t tdx_initcall_##fn __initdata = fn
#define early_initcall(fn)	tdx_module_initcall(fn)
#define subsys_initcall(fn)	tdx_module_initcall(fn)
#define late_initcall(fn)	tdx_module_initcall(fn)
#define late_initcall_sync(fn)	tdx_module_initcall(fn)

/*
 * Exits: built in, the core's module_exit()s are never called (the link
 * drops them); in tdx_host.ko each becomes a pointer tdx_exitcall_FN,
 * which tdx_module.c's exit calls in the reverse order of the
 * initcalls.  Files that are a module's own entry (tdx_module.c, and
 * compat/kunit.c of the test module) are built with
 * TDX_COMPAT_MODULE_ENTRY and keep the real module_exit().
 */
#ifndef TDX_COMPAT_MODULE_ENTRY
#undef module_exit
#define module_exit(fn)	exitcall_t tdx_exitcall_##fn __exitdata = fn
#endif

/*
 * The boot option tdx_swmod= (the only early_param of the core) is the
 * module parameter swmod= (tdx_module.c), with the same keys and the
 * same parser, which the module's init calls.
 */
#undef early_param
#define early_param(str, fn)	\
	int (*tdx_module_swmod_setup)(char *arg) __initdata = fn
extern int (*tdx_module_swmod_setup)(char *arg);

/* The firmware memory map, for the software module's CMRs. */
#define e820_table_firmware	tdx_module_e820_firmware()
const struct e820_table *tdx_module_e820_firmware(void);

/*
 * Memory hotplug: get_online_mems() is not exported.  The module's
 * memory notifier refuses onlining and offlining while it is "held".
 */
#define get_online_mems()	tdx_module_mem_hold()
#define put_online_mems()	tdx_module_mem_release()
void tdx_module_mem_hold(void);
void tdx_module_mem_release(void);

/*
 * kexec: the module's reboot notifier flushes caches and says whether
 * a kexec (not a reboot) is under way.  A crash kexec is not covered.
 */
#define kexec_in_progress	tdx_module_kexec_in_progress
extern bool tdx_module_kexec_in_progress;

/*
 * ACPI S3: acpi_suspend_lowlevel is not exported.  When the core
 * disables S3 (sets it NULL), the module's PM notifier refuses every
 * suspend, suspend-to-idle included.
 */
#define acpi_suspend_lowlevel	tdx_module_acpi_suspend_lowlevel
extern int (*tdx_module_acpi_suspend_lowlevel)(void);

/*
 * The page allocator: the pageblock migratetype is not exported, so to
 * the module's PAMT search (tdx_pamt_range.c) every pageblock looks
 * movable: after a failed alloc_contig_range() it steps down one
 * pageblock instead of skipping past the unmovable one (slower, same
 * outcome).
 */
#undef get_pageblock_migratetype
#define get_pageblock_migratetype(page)	MIGRATE_MOVABLE

/* Not exported; a no-op on the stock kernel, which has no lockdep. */
#define lockdep_assert_cpus_held()	do { } while (0)

#endif /* _X86_VIRT_TDX_COMPAT_H */
