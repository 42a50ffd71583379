#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KVM must keep building without the project's optional parts: compile the
# KVM objects (arch/x86/kvm, which includes virt/kvm) from the main build's
# config with CONFIG_MEMFD_INACCESSIBLE, and so CONFIG_KVM_PRIVATE_MEM,
# turned off, and without the TDX host core (CONFIG_INTEL_TDX_HOST), as
# Debian's own 6.1 configuration has it.
#   usage: kvm-noprivmem.sh OUT FLAVOUR
# Output in $OUT/build-noprivmem; only the objects, no link, so the objects
# are checked instead for references to the TDX host core, which the link
# of such a kernel would not resolve.
set -euo pipefail

out=$(cd "$1" && pwd); flavour=$2
src=$out/src
build=$out/build-noprivmem
jobs=${JOBS:-$(nproc)}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$out} CCACHE_NOHASHDIR=1
kmake=(make -C "$src" O="$build" -j"$jobs" CC="ccache gcc" HOSTCC="ccache gcc" -s)

mkdir -p "$build"
cp "$out/build-$flavour/.config" "$build/.config.new"
"$src/scripts/config" --file "$build/.config.new" -d MEMFD_INACCESSIBLE \
	-d INTEL_TDX_HOST
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
for opt in KVM_PRIVATE_MEM INTEL_TDX_HOST; do
	if grep -q "^CONFIG_$opt=y" "$build/.config"; then
		echo "kvm-noprivmem: CONFIG_$opt is still on"
		exit 1
	fi
done
start=$(date +%s)
"${kmake[@]}" arch/x86/kvm/
# The TDX host core's interface (asm/tdx_tdh.h, asm/tdx.h) is not there.
nm --defined-only --format=just-symbols "$build/arch/x86/kvm/built-in.a" |
	sort -u > "$build/kvm-defined.txt"
undef=$(nm -u --format=just-symbols "$build/arch/x86/kvm/built-in.a" |
	grep -E '^(tdh_|tdx_)' | sort -u |
	comm -23 - "$build/kvm-defined.txt" | tr '\n' ' ')
if [[ -n $undef ]]; then
	echo "kvm-noprivmem: KVM refers to the absent TDX host core: $undef"
	exit 1
fi
echo "kvm-noprivmem: KVM built without private memory and the TDX host core in $(( $(date +%s) - start ))s"
