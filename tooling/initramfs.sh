#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the base initramfs: busybox-static, /init and every guest program.
#   usage: initramfs.sh OUT FLAVOUR
# Lanes append a small second cpio archive with /etc/lane/ (see run-lane.sh);
# the kernel unpacks concatenated newc archives in order.
set -euo pipefail

out=$1; flavour=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
root=$out/initramfs-$flavour
busybox=/bin/busybox

[[ -x $busybox ]] ||
	{ echo "initramfs: $busybox missing (package busybox-static)" >&2; exit 1; }
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/lane,proc,sys,dev,tmp,run,root}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list-full); do
	[[ -e $root/$applet ]] || ln -s /bin/busybox "$root/$applet"
done
cp "$here/guest/init" "$root/init"
echo check > "$root/etc/lane/mode"

# Programs and modules only (no objects), without debug info: every MB
# costs boot time under TCG.
install_progs() {	# install_progs DEST find-args...
	local dest=$1 f
	shift
	(cd "$out/progs-$flavour" && find . -type f \( -perm -u+x -o -name '*.ko' \) "$@") |
	while read -r f; do
		mkdir -p "$(dirname "$dest/tests/$f")"
		cp "$out/progs-$flavour/$f" "$dest/tests/$f"
		# Scripts are not ELF: strip refuses them, which is fine.
		strip --strip-debug "$dest/tests/$f" 2>/dev/null || true
	done
}

pack() {	# pack DIR ARCHIVE
	mkcpio "$1" "$2"
	echo "initramfs: $(du -h "$2" | cut -f1) $2"
}

# The KVM selftests are most of the bytes, and only some lanes run them:
# they go in a second archive that run-lane.sh appends when a lane's
# suites name /tests/kvm/.
install_progs "$root" -not -path './kvm/*' -not -path './qemu/*'
pack "$root" "$out/initramfs-$flavour.cpio"
# Our QEMU (static, stripped) and its files: only for lanes whose suites
# name /tests/qemu/, like the KVM selftests.
rm -rf "$root.qemu" && mkdir -p "$root.qemu/tests"
[[ -d $out/progs-$flavour/qemu ]] && cp -r "$out/progs-$flavour/qemu" "$root.qemu/tests/"
pack "$root.qemu" "$out/initramfs-$flavour-qemu.cpio"
rm -rf "$root.kvm" && mkdir -p "$root.kvm"
install_progs "$root.kvm" -path './kvm/*'
pack "$root.kvm" "$out/initramfs-$flavour-kvm.cpio"
