#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configure and build the assembled kernel in $OUT/build-$FLAVOUR.
#   usage: kbuild.sh OUT FLAVOUR FRAGMENT...
# The config is regenerated from tinyconfig + fragments only when a fragment
# or the base changes, because a config change costs a near-full rebuild.
set -euo pipefail

out=$1; flavour=$2; shift 2
fragments=("$@")
src=$out/src
build=$out/build-$flavour
here=$(cd "$(dirname "$0")" && pwd)
jobs=${JOBS:-$(nproc)}
# Relative paths in ccache keys: clones and worktrees share cache hits.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$out} CCACHE_NOHASHDIR=1
kmake=(make -C "$src" O="$build" -j"$jobs" CC="ccache gcc" HOSTCC="ccache gcc" -s)

mkdir -p "$build"
stamp=$(cat "$out/base/stamp" "${fragments[@]}" | sha256sum | cut -d' ' -f1)
if [[ ! -f $build/.config || "$(cat "$build/.config-stamp" 2>/dev/null)" != "$stamp" ]]; then
	echo "kbuild: generating .config (tinyconfig + ${fragments[*]##*/})"
	"${kmake[@]}" tinyconfig >/dev/null
	cat "${fragments[@]}" >> "$build/.config"
	echo "$stamp" > "$build/.config-stamp"
fi
"${kmake[@]}" olddefconfig >/dev/null
python3 "$here/kconfig_check.py" "$build/.config" "${fragments[@]}"

echo "kbuild: building $(cat "$build/include/config/kernel.release" 2>/dev/null || echo kernel) ($flavour)"
"${kmake[@]}" bzImage modules
"${kmake[@]}" headers >/dev/null
echo "kbuild: $(cat "$build/include/config/kernel.release") -> $build/arch/x86/boot/bzImage"
