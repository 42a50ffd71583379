#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian builds KVM as modules (kvm.ko, kvm-intel.ko, kvm-amd.ko); the
# lanes' kernels build it in, where a call to a kernel function that is
# not exported links fine and only Debian's build (modpost) would fail.
# Check, on the built-in build, that every symbol KVM's objects take from
# the rest of the kernel is exported (in Module.symvers).
#   usage: kvm-exports.sh OUT FLAVOUR
set -euo pipefail

out=$(cd "$1" && pwd); flavour=$2
build=$out/build-$flavour
objs=$build/arch/x86/kvm/built-in.a
# Exported only when kvm_intel is a module (IS_MODULE(CONFIG_KVM_INTEL)).
only_for_modules="asm_exc_nmi_noist"

[[ -e $objs && -e $build/Module.symvers ]] ||
	{ echo "kvm-exports: build $build first"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm --defined-only --format=just-symbols "$objs" | sort -u > "$tmp/defined"
{ awk '{ print $2 }' "$build/Module.symvers"; tr ' ' '\n' <<< "$only_for_modules"; } |
	sort -u > "$tmp/exported"
missing=$(nm -u --format=just-symbols "$objs" | sort -u |
	  comm -23 - "$tmp/defined" | comm -23 - "$tmp/exported" | tr '\n' ' ')
if [[ -n $missing ]]; then
	echo "kvm-exports: KVM as modules would use unexported symbols: $missing"
	exit 1
fi
echo "kvm-exports: every symbol KVM takes from the kernel is exported"
