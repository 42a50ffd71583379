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

static void show_file(const char *feature, const char *path)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");

	if (!f) {
		show(feature, "%s", "absent");
		return;
	}
	if (fgets(buf, sizeof(buf), f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	show(feature, "%s", buf);
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

int main(void)
{
	struct utsname u;

	uname(&u);
	show("kernel", "%s", u.release);
	show_kvm();
	show_inaccessible_memfd();
	if (path_exists("/sys/firmware/tdx"))
		show_file("tdx host", "/sys/firmware/tdx/status");
	else
		show("tdx host", "%s", "not built");
	show("lockdep", "%s", path_exists("/proc/lockdep") ? "yes" : "no");
	show("kmemleak", "%s", path_exists("/sys/kernel/debug/kmemleak") ?
	     "yes" : "no");
	return 0;
}
