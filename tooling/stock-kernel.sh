#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's stock kernel that matches the base tree: the linux-image and
# linux-headers packages built from the same source version as the
# installed linux-source-6.1.  The ABI number N of 6.1.0-N-amd64 is
# derived, never hard-coded: an installed image of that version, else
# the Depends of the linux-image-amd64 metapackage of that version.
#   stock-kernel.sh release   6.1.0-N-amd64
#   stock-kernel.sh image     /boot/vmlinuz-6.1.0-N-amd64
#   stock-kernel.sh build     /lib/modules/6.1.0-N-amd64/build
#   stock-kernel.sh modules   /lib/modules/6.1.0-N-amd64
set -euo pipefail

version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	{ echo "stock-kernel: linux-source-6.1 is not installed" >&2; exit 1; }

release_installed() {
	dpkg-query -W -f='${Package} ${Version} ${Status}\n' \
		'linux-image-6.1.0-*-amd64' 2>/dev/null |
		awk -v v="$version" '$2 == v && $5 == "installed" {
			sub(/^linux-image-/, "", $1); print $1; exit }'
}

release_from_archive() {
	apt-cache show "linux-image-amd64=$version" 2>/dev/null |
		sed -n 's/^Depends:.*linux-image-\(6\.1\.0-[0-9]*-amd64\) .*/\1/p' |
		head -n1
}

# dpkg-query fails when no package matches the pattern (a fresh
# machine): that is "none installed", not an error.
release=$(release_installed || true)
[[ -n $release ]] || release=$(release_from_archive || true)
[[ -n $release ]] ||
	{ echo "stock-kernel: no amd64 image of linux $version known to apt" >&2; exit 1; }

case ${1:-release} in
release) echo "$release" ;;
image) echo "/boot/vmlinuz-$release" ;;
build) echo "/lib/modules/$release/build" ;;
modules) echo "/lib/modules/$release" ;;
*) echo "usage: $0 release|image|build|modules" >&2; exit 2 ;;
esac
