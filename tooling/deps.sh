#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages the build and the test lanes need.
# Idempotent: when everything is present it does nothing and needs no network.
set -euo pipefail

# usage: deps.sh [bochs]
# Without an argument: what every stage needs.  "bochs": what the Bochs
# (VMX) lane needs besides, installed only when that lane runs
# (tooling/machines/bochs.sh): Bochs pulls in GTK, which no other lane
# needs.  bochs-term is the smallest package that satisfies its GUI
# dependency; the lane itself uses the rfb display library.
if [[ ${1:-} = bochs ]]; then
	PACKAGES=(bochs bochs-term bochsbios vgabios isolinux syslinux-common genisoimage)
else
PACKAGES=(
	# base tree
	linux-source-6.1 xz-utils
	# kernel build
	gcc make flex bison bc libelf-dev libssl-dev ccache kmod cpio
	# Debian packages of the kernel (make deb)
	dpkg-dev fakeroot rsync
	# test lanes and tooling
	qemu-system-x86 busybox-static python3
	# userspace harnesses (tools/testing/*)
	liburcu-dev
	# the documentation build (make docs) and the series export (make series)
	python3-sphinx git patch
	# the libvirt example's checks (Documentation/virt/kvm/*.xml); our
	# QEMU's own build dependencies are installed by tooling/qemu.sh
	libvirt-clients libxml2-utils
)
fi

here=$(cd "$(dirname "$0")" && pwd)
updated=0

# install PACKAGE...: apt-get install those not installed yet.
install() {
	local pkg status missing=()

	for pkg in "$@"; do
		status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
		[[ "$status" == "install ok installed" ]] || missing+=("$pkg")
	done
	((${#missing[@]} == 0)) && return 0

	if [[ $(id -u) -ne 0 ]]; then
		echo "deps: missing packages: ${missing[*]}" >&2
		echo "deps: run as root (or install them yourself) so that apt-get can install them" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# Wait for a concurrent apt/dpkg instead of failing on its lock.
	if ((!updated)); then
		apt-get -o DPkg::Lock::Timeout=600 update -qq
		updated=1
	fi
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
}

install "${PACKAGES[@]}"

# Debian's own kernel configurations (tooling/debconfig.sh), of exactly the
# version of the base tree's linux-source-6.1.
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
if [[ "$(dpkg-query -W -f='${Version}' linux-config-6.1 2>/dev/null || true)" != "$srcver" ]]; then
	[[ $(id -u) -eq 0 ]] || { echo "deps: linux-config-6.1=$srcver missing: run as root" >&2; exit 1; }
	echo "deps: installing linux-config-6.1=$srcver"
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
		"linux-config-6.1=$srcver"
fi

# The stock kernel of the same source version, for the out-of-tree module
# and its lane (tooling/stock-kernel.sh derives 6.1.0-N-amd64).
stock=$("$here/stock-kernel.sh" release 2>/dev/null) || {
	[[ $(id -u) -eq 0 ]] && apt-get -o DPkg::Lock::Timeout=600 update -qq && updated=1
	stock=$("$here/stock-kernel.sh" release)
}
install "linux-image-$stock" "linux-headers-$stock"
