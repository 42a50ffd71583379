// SPDX-License-Identifier: GPL-2.0
/*
 * Print what the booted kernel offers, one "feature: state" line each.
 * Runs in the test initramfs (static, no libc beyond what is linked in).
 * Probes use the raw ABI numbers so this builds against any header set.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define PROBE_MFD_INACCESSIBLE		0x0008U
#define PROBE_KVM_GET_API_VERSION	_IO(0xAE, 0x00)
#define PROBE_KVM_CHECK_EXTENSION	_IO(0xAE, 0x03)
#define PROBE_KVM_CAP_PRIVATE_MEM	224

static void show(const char *feature, const char *fmt, const char *detail)
{
	printf("feature-status: %-22s ", feature);
	printf(fmt, detail);
	putchar('\n');
}

static int path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Built-in vendor modules both show in /sys/module: ask the CPU instead. */
static int cpu_has_flag(const char *flag)
{
	char line[4096], pattern[32];
	FILE *f = fopen("/proc/cpuinfo", "r");
	int found = 0;

	if (!f)
		return 0;
	snprintf(pattern, sizeof(pattern), " %s", flag);
	while (!found && fgets(line, sizeof(line), f)) {
		char *hit;

		if (strncmp(line, "flags", 5))
			continue;
		hit = strstr(line, pattern);
		found = hit && (hit[strlen(pattern)] == ' ' ||
				hit[strlen(pattern)] == '\n');
	}
	fclose(f);
	return found;
}

static void show_kvm(void)
{
	char detail[128];
	int fd, api, priv;

	fd = open("/dev/kvm", O_RDWR);
	if (fd < 0) {
		show("kvm", "absent (%s)", strerror(errno));
		return;
	}
	api = ioctl(fd, PROBE_KVM_GET_API_VERSION, 0);
	snprintf(detail, sizeof(detail), "api %d, vendor %s", api,
		 cpu_has_flag("vmx") ? "kvm_intel" :
		 cpu_has_flag("svm") ? "kvm_amd" : "none");
	show("kvm", "%s", detail);

	priv = ioctl(fd, PROBE_KVM_CHECK_EXTENSION, PROBE_KVM_CAP_PRIVATE_MEM);
	show("kvm private memory", "%s", priv > 0 ? "yes" : "no");
	close(fd);
}

static void show_inaccessible_memfd(void)
{
	int fd = syscall(SYS_memfd_create, "probe", PROBE_MFD_INACCESSIBLE);

	if (fd >= 0) {
		show("inaccessible memfd", "%s", "yes");
		close(fd);
	} else {
		show("inaccessible memfd", "no (%s)", strerror(errno));
	}
}

/* First line of a sysfs file, "" if absent or empty. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static void show_tdx(void)
{
	char status[64], backend[64], keyids[64], version[64], vendor[64];
	char pamt[64], tdmrs[64], detail[512], line[256];

	read_line("/sys/firmware/tdx/status", status, sizeof(status));
	read_line("/sys/firmware/tdx/backend", backend, sizeof(backend));
	read_line("/sys/firmware/tdx/keyid_range", keyids, sizeof(keyids));
	read_line("/sys/firmware/tdx/version", version, sizeof(version));
	read_line("/sys/firmware/tdx/vendor_id", vendor, sizeof(vendor));
	read_line("/sys/firmware/tdx/pamt_kb", pamt, sizeof(pamt));
	read_line("/sys/firmware/tdx/nr_tdmrs", tdmrs, sizeof(tdmrs));

	if (!strcmp(status, "unavailable")) {
		show("tdx host", "%s", "built, no TDX (BIOS) and no tdx_swmod=");
		return;
	}
	snprintf(detail, sizeof(detail), "%s, backend %s, KeyIDs %s", status,
		 backend, keyids);
	show("tdx host", "%s", detail);
	if (!strcmp(status, "initialized")) {
		snprintf(detail, sizeof(detail),
			 "version %s vendor %s, %s TDMRs, %s KB PAMT", version,
			 vendor, tdmrs, pamt);
		show("tdx module", "%s", detail);
	} else if (!strcmp(status, "error")) {
		read_line("/sys/firmware/tdx/error", line, sizeof(line));
		show("tdx module", "%s", line);
	}
}

int main(void)
{
	struct utsname u;

	uname(&u);
	show("kernel", "%s", u.release);
	show_kvm();
	show_inaccessible_memfd();
	if (path_exists("/sys/firmware/tdx"))
		show_tdx();
	else
		show("tdx host", "%s", "not built");
	show("lockdep", "%s", path_exists("/proc/lockdep") ? "yes" : "no");
	show("kmemleak", "%s", path_exists("/sys/kernel/debug/kmemleak") ?
	     "yes" : "no");
	return 0;
}
