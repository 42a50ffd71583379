#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The patched kernel with Debian's own configuration.
#   usage: debconfig.sh OUT FLAVOUR [config|compile]
# FLAVOUR is generic (Debian's amd64 flavour) or cloud (cloud-amd64).
#   config   write $OUT/build-deb-FLAVOUR/.config: Debian's configuration of
#            the same version as the base tree (package linux-config-6.1)
#            plus tooling/config/deb.config, and check that every option
#            the fragment wants survived olddefconfig
#   compile  config, then compile every kernel object the project adds or
#            patches (the TDX, KVM and mm objects): catches breakage that
#            only Debian's configuration shows, in minutes rather than the
#            hours of a full build
set -euo pipefail

out=$(cd "$1" && pwd); flavour=$2; action=${3:-config}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
src=$out/src
build=$out/build-deb-$flavour
jobs=${JOBS:-$(nproc)}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$out} CCACHE_NOHASHDIR=1
kmake=(make -C "$src" O="$build" -j"$jobs" CC="ccache gcc" HOSTCC="ccache gcc" -s)

case $flavour in
generic) debflavour=amd64 ;;
cloud)	 debflavour=cloud-amd64 ;;
*)	 echo "debconfig: flavour must be generic or cloud" >&2; exit 2 ;;
esac
debcfg=/usr/src/linux-config-6.1/config.amd64_none_$debflavour.xz
[[ -f $debcfg ]] || { echo "debconfig: $debcfg missing (package linux-config-6.1, tooling/deps.sh)" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
cfgver=$(dpkg-query -W -f='${Version}' linux-config-6.1)
[[ $srcver = "$cfgver" ]] ||
	{ echo "debconfig: linux-config-6.1 $cfgver does not match linux-source-6.1 $srcver" >&2; exit 1; }

mkdir -p "$build"
stamp=$( (cat "$out/base/stamp"; xzcat "$debcfg"; cat "$here/config/deb.config") | sha256sum | cut -d' ' -f1)
if [[ ! -f $build/.config || "$(cat "$build/.config-stamp" 2>/dev/null)" != "$stamp" ]]; then
	xzcat "$debcfg" > "$build/.config"
	cat "$here/config/deb.config" >> "$build/.config"
	"${kmake[@]}" olddefconfig > /dev/null
	echo "$stamp" > "$build/.config-stamp"
fi
python3 "$here/kconfig_check.py" "$build/.config" "$here/config/deb.config"
echo "debconfig: Debian $debflavour $cfgver + deb.config -> $build/.config"
[[ $action = config ]] && exit 0

# The objects of every .c file the project adds or patches, that this
# configuration builds.  virt/kvm/ files are built as part of the x86 KVM
# module, under arch/x86/kvm/.
mapfile -t files < <(cd "$repo" && {
	git ls-files -- arch mm virt fs drivers kernel | grep '\.c$'
	cat patches/*.patch | sed -n 's|^+++ b/\(.*\.c\)\t*.*$|\1|p'
} | grep -v '^tools/' |
	# Only the out-of-tree module builds these (KBUILD_EXTMOD, with
	# compat/compat.h): a single-object build of them here is meaningless.
	grep -v -e '^arch/x86/virt/vmx/tdx/tdx_module' -e '^arch/x86/virt/vmx/tdx/compat/' |
	sort -u)
"${kmake[@]}" prepare
objs=()
for f in "${files[@]}"; do
	o=${f%.c}.o
	case $o in virt/kvm/*) o=arch/x86/kvm/../../../$o ;; esac
	objs+=("$o")
done
start=$(date +%s)
# A target whose Makefile does not build it under this configuration
# (for example a KUnit test that is =n) is reported and skipped.
failed=0 built=0 skipped=0
for o in "${objs[@]}"; do
	if ! "${kmake[@]}" "$o" > "$build/obj.log" 2>&1; then
		if grep -q "No rule to make target\|is not built" "$build/obj.log"; then
			echo "debconfig: $o is not built with this configuration"
			skipped=$((skipped + 1))
			continue
		fi
		echo "debconfig: $o FAILED:"; cat "$build/obj.log"
		failed=$((failed + 1))
		continue
	fi
	if grep -q "warning:" "$build/obj.log"; then
		echo "debconfig: $o has warnings:"; cat "$build/obj.log"
		failed=$((failed + 1))
		continue
	fi
	built=$((built + 1))
done
echo "debconfig: $flavour: $built objects compiled cleanly, $failed failed, $skipped not in this configuration ($(( $(date +%s) - start ))s)"
[[ $failed -eq 0 ]]
