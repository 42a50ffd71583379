#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KVM must keep building without private memory: compile the KVM objects
# (arch/x86/kvm, which includes virt/kvm) from the main build's config with
# CONFIG_MEMFD_INACCESSIBLE, and so CONFIG_KVM_PRIVATE_MEM, turned off.
#   usage: kvm-noprivmem.sh OUT FLAVOUR
# Output in $OUT/build-noprivmem; only the objects, no link.
set -euo pipefail

out=$(cd "$1" && pwd); flavour=$2
src=$out/src
build=$out/build-noprivmem
jobs=${JOBS:-$(nproc)}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$out} CCACHE_NOHASHDIR=1
kmake=(make -C "$src" O="$build" -j"$jobs" CC="ccache gcc" HOSTCC="ccache gcc" -s)

mkdir -p "$build"
cp "$out/build-$flavour/.config" "$build/.config.new"
"$src/scripts/config" --file "$build/.config.new" -d MEMFD_INACCESSIBLE
# Keep the old .config (and its timestamps) when nothing changed.
if ! cmp -s "$build/.config.new" "$build/.config.in" 2>/dev/null; then
	cp "$build/.config.new" "$build/.config"
	cp "$build/.config.new" "$build/.config.in"
fi
rm "$build/.config.new"
"${kmake[@]}" olddefconfig >/dev/null

for opt in KVM KVM_AMD KVM_INTEL HAVE_KVM_PRIVATE_MEM; do
	grep -q "^CONFIG_$opt=y" "$build/.config" ||
		{ echo "kvm-noprivmem: CONFIG_$opt is not set"; exit 1; }
done
if grep -q '^CONFIG_KVM_PRIVATE_MEM=y' "$build/.config"; then
	echo "kvm-noprivmem: CONFIG_KVM_PRIVATE_MEM is still on"
	exit 1
fi
start=$(date +%s)
"${kmake[@]}" arch/x86/kvm/
echo "kvm-noprivmem: KVM built without private memory in $(( $(date +%s) - start ))s"
