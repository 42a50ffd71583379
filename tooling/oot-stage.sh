#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage the out-of-tree module's source: the TDX host core directory of
# the assembled tree (arch/x86/virt/vmx/tdx, whose Makefile is the one
# Kbuild description of both builds), the series' new asm headers it
# includes (into compat/asm/) and dkms.conf, as
#   $OUT/oot/tdx-host-VERSION/
# and print that path.  Build it with
#   make -C /lib/modules/RELEASE/build M=$OUT/oot/tdx-host-VERSION modules
#   usage: oot-stage.sh OUT
set -euo pipefail

out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
src=$out/src/arch/x86/virt/vmx/tdx
[[ -f $src/Makefile ]] || { echo "oot-stage: $src missing (make tree)" >&2; exit 1; }

# Monotonic with the repository's history; 0 outside a git checkout.
count=$(git -C "$repo" rev-list --count HEAD 2>/dev/null || echo 0)
version=1.0.$count
stage=$out/oot/tdx-host-$version

rm -rf "$out/oot/tdx-host-"*
mkdir -p "$stage"
# tdxcall.S is the guest's (6.1 base), not part of the module.
(cd "$src" && find . -type f \( -name '*.[chS]' -o -name Makefile \) \
	! -name tdxcall.S ! -name '*.mod.c' -print0) |
	(cd "$src" && xargs -0 cp --parents -t "$stage")
# New headers of the series outside the directory, which the stock
# headers lack: compat/ is on the module build's include path.
mkdir -p "$stage/compat/asm"
cp "$out/src/arch/x86/include/asm/tdx_tdh.h" "$stage/compat/asm/"
sed "s/@VERSION@/$version/" "$here/dkms/dkms.conf" > "$stage/dkms.conf"
echo "$stage"
