// SPDX-License-Identifier: GPL-2.0
/*
 * kexec-self [--crash] KERNEL INITRD [APPEND]: kexec_file_load() KERNEL
 * and INITRD with this kernel's command line plus APPEND, then reboot
 * into it.  With --crash, load them as the crash (kdump) kernel instead
 * and exit 0: a panic then boots them.  Static, for the test initramfs
 * (busybox has no kexec).  Fails with exit 1, naming the failing step
 * and errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/kexec.h>
#include <linux/reboot.h>

static char cmdline[4096];

int main(int argc, char **argv)
{
	unsigned long flags = 0;
	int kfd, ifd, cfd;
	ssize_t n;

	if (argc > 1 && !strcmp(argv[1], "--crash")) {
		flags = KEXEC_FILE_ON_CRASH;
		argv++;
		argc--;
	}
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: kexec-self [--crash] KERNEL INITRD [APPEND]\n");
		return 2;
	}
	cfd = open("/proc/cmdline", O_RDONLY);
	if (cfd < 0) {
		perror("kexec-self: /proc/cmdline");
		return 1;
	}
	n = read(cfd, cmdline, sizeof(cmdline) - 1);
	close(cfd);
	if (n <= 0) {
		perror("kexec-self: read /proc/cmdline");
		return 1;
	}
	cmdline[n] = '\0';
	cmdline[strcspn(cmdline, "\n")] = '\0';
	if (argc == 4 &&
	    snprintf(cmdline + strlen(cmdline), sizeof(cmdline) - strlen(cmdline),
		     " %s", argv[3]) >= (int)(sizeof(cmdline) - strlen(cmdline))) {
		fprintf(stderr, "kexec-self: command line too long\n");
		return 1;
	}

	kfd = open(argv[1], O_RDONLY);
	ifd = open(argv[2], O_RDONLY);
	if (kfd < 0 || ifd < 0) {
		perror("kexec-self: open");
		return 1;
	}
	printf("kexec-self: loading %s + %s%s, command line: %s\n", argv[1],
	       argv[2], flags ? " as the crash kernel" : "", cmdline);
	fflush(stdout);
	if (syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmdline) + 1,
		    cmdline, flags)) {
		perror("kexec-self: kexec_file_load");
		return 1;
	}
	if (flags)
		return 0;
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_KEXEC, NULL);
	perror("kexec-self: reboot(LINUX_REBOOT_CMD_KEXEC)");
	return 1;
}
