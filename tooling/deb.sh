#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installable Debian packages of the patched kernel, with Debian's own
# configuration (tooling/debconfig.sh: Debian's config of the base tree's
# version plus tooling/config/deb.config).
#   usage: deb.sh OUT FLAVOUR [build|install-test]
# FLAVOUR is generic (Debian's amd64 flavour, about 3850 modules: hours on
# two cores) or cloud (cloud-amd64, about 1100 modules).
#   build         make bindeb-pkg; the packages land in $OUT/deb/FLAVOUR/
#   install-test  unpack the built packages into a throwaway root
#                 (dpkg-deb -x, no maintainer scripts) and check that the kernel, its modules and headers
#                 are where Debian expects them
# The kernel release is the base version plus -tdx-<Debian flavour>, so the
# packages install next to Debian's own kernels; the package version is
# Debian's source version plus +tdx$DEB_REVISION (default 1).
set -euo pipefail

out=$(cd "$1" && pwd); flavour=$2; action=${3:-build}
here=$(cd "$(dirname "$0")" && pwd)
src=$out/src
build=$out/build-deb-$flavour
debdir=$out/deb/$flavour
jobs=${JOBS:-$(nproc)}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$out} CCACHE_NOHASHDIR=1

case $flavour in
generic) debflavour=amd64 ;;
cloud)	 debflavour=cloud-amd64 ;;
*)	 echo "deb: flavour must be generic or cloud" >&2; exit 2 ;;
esac
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
localversion=-tdx-$debflavour
pkgversion=$srcver+tdx${DEB_REVISION:-1}

build_packages() {
	local start kver
	start=$(date +%s)
	"$here/debconfig.sh" "$out" "$flavour" config
	kver=$(make -s -C "$src" O="$build" LOCALVERSION="$localversion" kernelrelease)
	echo "deb: building linux-image-$kver $pkgversion ($jobs jobs)"
	# bindeb-pkg writes the packages into the build directory's parent.
	rm -f "$out"/linux-*"$kver"*_"$pkgversion"_*.deb
	make -C "$src" O="$build" -j"$jobs" CC="ccache gcc" HOSTCC="ccache gcc" -s \
		LOCALVERSION="$localversion" KDEB_PKGVERSION="$pkgversion" \
		KDEB_CHANGELOG_DIST=bookworm KBUILD_BUILD_USER=tdx-host \
		KBUILD_BUILD_HOST=tdx-host.invalid bindeb-pkg
	rm -rf "$debdir"
	mkdir -p "$debdir"
	mv "$out"/linux-*"$kver"*_"$pkgversion"_*.deb "$debdir/"
	rm -f "$out"/linux-upstream_"$pkgversion"_*.{buildinfo,changes}
	echo "$kver" > "$debdir/kernelrelease"
	echo "deb: $flavour built in $(( $(date +%s) - start ))s:"
	ls -s --block-size=K "$debdir"/*.deb
}

# Unpack the packages' files into a throwaway root (dpkg-deb -x) and check
# where they land.  No maintainer script runs: dpkg --root would run them
# chrooted into a root without a shell, and chrootless they would run the
# host's own /etc/kernel hooks (initramfs, GRUB) for this kernel.
install_test() {
	local root kver f deb bad=0
	kver=$(cat "$debdir/kernelrelease")
	root=$(mktemp -d "$out/deb-root.XXXXXX")
	trap 'rm -rf "$root"' RETURN
	for deb in "$debdir"/linux-image-"$kver"_*.deb "$debdir"/linux-headers-"$kver"_*.deb; do
		dpkg-deb -x "$deb" "$root" || { echo "not ok unpacking $deb"; return 1; }
	done
	for f in "boot/vmlinuz-$kver" "boot/config-$kver" "boot/System.map-$kver" \
		 "lib/modules/$kver/modules.order" "lib/modules/$kver/kernel/arch/x86/kvm/kvm.ko" \
		 "usr/src/linux-headers-$kver/Makefile" "usr/src/linux-headers-$kver/.config" \
		 "lib/modules/$kver/build"; do
		if [[ -e $root/$f || -L $root/$f ]]; then
			echo "ok $f"
		else
			echo "not ok $f missing"; bad=1
		fi
	done
	# The headers' scripts must be runnable programs for DKMS.
	if [[ -x $root/usr/src/linux-headers-$kver/scripts/basic/fixdep ]]; then
		echo "ok headers have scripts/basic/fixdep"
	else
		echo "not ok headers lack scripts/basic/fixdep"; bad=1
	fi
	grep -q '^CONFIG_INTEL_TDX_HOST=y' "$root/boot/config-$kver" &&
		grep -q '^CONFIG_KVM_PRIVATE_MEM=y' "$root/boot/config-$kver" &&
		echo "ok config has the project's options" ||
		{ echo "not ok config lacks the project's options"; bad=1; }
	return $bad
}

case $action in
build)	      build_packages ;;
install-test) install_test ;;
*)	      echo "deb: action must be build or install-test" >&2; exit 2 ;;
esac
