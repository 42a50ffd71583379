#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our QEMU for the test guest, in $PROGS/qemu/ (its own initramfs archive,
# appended only for lanes whose suites name /tests/qemu/):
#   qemu-system-x86_64   static, with our patches (tooling/qemu.sh)
#   share/               firmware from Debian's seabios and qemu-system-data
#   swprot-payload.bin   the software-protected VM test payload (-bios),
#   swprot-payload-leak.bin  and its leak control
#   swprot-test          its driver (tooling/guest/swprot/swprot-test.c)
#   libvirt-args, libvirt-args-check
#                        the qemu:commandline of the libvirt example, and
#                        the check that our QEMU accepts it
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(dirname "$here")
dest=$PROGS/qemu
sw=$here/guest/swprot

# Only when a lane runs the suite (QEMU_BUILD=1 forces it): a cold QEMU
# build is the longest step of `make check` after the kernel.
if [[ -z ${QEMU_BUILD:-} ]] && ! grep -q '^LANE_SUITES=.*qemu-swprot' "$here"/lanes/*.lane; then
	echo "qemu: no lane runs qemu-swprot: not building QEMU (QEMU_BUILD=1 forces it)"
	exit 0
fi

"$here/qemu.sh" "$OUT"
mkdir -p "$dest/share"
cp "$OUT/qemu/qemu-system-x86_64" "$dest/"
cp -L /usr/share/seabios/bios-256k.bin /usr/share/qemu/kvmvapic.bin \
	/usr/share/qemu/linuxboot_dma.bin "$dest/share/"

payload() {	# payload NAME CPPFLAGS...
	local name=$1
	shift
	gcc -m32 "$@" -c -o "$OUT/qemu/$name.o" "$sw/payload.S"
	ld -m elf_i386 -Ttext=0xffff0000 -e _start --oformat binary \
		-o "$dest/$name.bin" "$OUT/qemu/$name.o"
	[[ $(stat -c %s "$dest/$name.bin") -eq 65536 ]] ||
		{ echo "qemu: $name.bin is not 64 KiB" >&2; exit 1; }
}
payload swprot-payload
payload swprot-payload-leak -DLEAK_SECRET
gcc -static -O2 -Wall -Werror -o "$dest/swprot-test" "$sw/swprot-test.c"

"$here/libvirt-args.sh" "$repo/Documentation/virt/kvm/sw-protected-vm-libvirt.xml" \
	> "$dest/libvirt-args"
cp "$sw/libvirt-args-check" "$dest/"
