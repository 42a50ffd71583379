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
cp -r "$out/progs-$flavour" "$root/tests"
echo check > "$root/etc/lane/mode"

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner 0:0 --quiet) > "$out/initramfs-$flavour.cpio"
echo "initramfs: $(du -h "$out/initramfs-$flavour.cpio" | cut -f1) $out/initramfs-$flavour.cpio"
