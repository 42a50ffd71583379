#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build our qemu-system-x86_64: Debian 12's qemu 7.2 source package plus the
# patches in qemu/series, trimmed (x86_64-softmmu, KVM only, no GUI, a
# minimal device set) and linked statically so that it runs from the test
# guest's initramfs.  Result: $OUT/qemu/qemu-system-x86_64.
#
#   tooling/qemu.sh OUT
#
# The source is fetched with `apt-get source` (this script enables the
# deb-src lines matching the deb lines if needed).  A changed patch series
# re-extracts the source; the build directory and ccache stay, so only the
# files the patches touch recompile.
set -euo pipefail

OUT=${1:?usage: qemu.sh OUT}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
QDIR=$OUT/qemu
DL=$QDIR/dl
SRC=$QDIR/src
BUILD=$QDIR/build
JOBS=${JOBS:-$(nproc)}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$OUT} CCACHE_NOHASHDIR=1

BUILD_DEPS=(dpkg-dev meson ninja-build pkg-config libglib2.0-dev libpcre2-dev
	    libpixman-1-dev zlib1g-dev libfdt-dev seabios qemu-system-data)

install_deps() {
	local missing=() pkg status
	for pkg in "${BUILD_DEPS[@]}"; do
		status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
		[[ "$status" == "install ok installed" ]] || missing+=("$pkg")
	done
	((${#missing[@]} == 0)) && return 0
	echo "qemu: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}"
}

# deb-src entries mirroring the deb entries of debian.sources (deb822).
enable_deb_src() {
	local d=/etc/apt/sources.list.d
	apt-cache showsrc qemu 2>/dev/null | grep -q '^Version: 1:7\.2' && return 0
	if [[ -e $d/debian.sources && ! -e $d/tdx-project-src.sources ]]; then
		echo "qemu: enabling deb-src in $d/tdx-project-src.sources"
		sed -n 's/^Types: deb$/Types: deb-src/; /^#/d; p' \
			"$d/debian.sources" > "$d/tdx-project-src.sources"
	elif [[ -e /etc/apt/sources.list && ! -e $d/tdx-project-src.list ]]; then
		echo "qemu: enabling deb-src in $d/tdx-project-src.list"
		sed -n 's/^deb \(.*\)$/deb-src \1/p' /etc/apt/sources.list \
			> "$d/tdx-project-src.list"
	fi
	apt-get update -qq
}

fetch_source() {
	if ! ls "$DL"/qemu_7.2*.dsc >/dev/null 2>&1; then
		enable_deb_src
		mkdir -p "$DL"
		(cd "$DL" && apt-get source --download-only -qq qemu)
	fi
	local dsc
	dsc=$(ls "$DL"/qemu_7.2*.dsc | sort -V | tail -n1)
	# A new patch series or source version: extract afresh.
	local stamp
	stamp=$( (basename "$dsc"; cat "$ROOT/qemu/series";
		  sed -e '/^#/d' "$ROOT/qemu/series" | while read -r p; do
			[[ -n $p ]] && cat "$ROOT/qemu/$p"; done) | sha1sum)
	if [[ -f $SRC/.tdx-stamp && $(cat "$SRC/.tdx-stamp") == "$stamp" ]]; then
		return 0
	fi
	rm -rf "$SRC.new"
	dpkg-source --no-check -x "$dsc" "$SRC.new" >/dev/null
	local p
	while read -r p; do
		[[ -z $p || $p == \#* ]] && continue
		patch -d "$SRC.new" -p1 --no-backup-if-mismatch -s \
			< "$ROOT/qemu/$p" || { echo "qemu: $p does not apply" >&2; exit 1; }
	done < "$ROOT/qemu/series"
	echo "$stamp" > "$SRC.new/.tdx-stamp"
	# Keep file timestamps of unchanged files, so ninja rebuilds only
	# what the patches touched.
	if [[ -d $SRC ]]; then
		{ diff -rq "$SRC.new" "$SRC" || true; } | while read -r line; do
			case $line in
			"Files "*)
				f=${line#Files "$SRC.new"/}; f=${f%% and *}
				cp -p "$SRC.new/$f" "$SRC/$f" ;;
			"Only in $SRC.new"*)
				d=${line#Only in }; d=${d%%: *}; f=${line##*: }
				cp -pr "$d/$f" "$SRC${d#"$SRC.new"}/" ;;
			"Only in $SRC"*)
				d=${line#Only in }; d=${d%%: *}; f=${line##*: }
				rm -rf "${d:?}/$f" ;;
			esac
		done
		rm -rf "$SRC.new"
	else
		mv "$SRC.new" "$SRC"
	fi
}

configure() {
	[[ -f $BUILD/build.ninja ]] && return 0
	mkdir -p "$BUILD"
	# ccache: QEMU's configure names the compiler itself, so meson
	# would not add ccache on its own.
	(cd "$BUILD" && CC="ccache gcc" "$SRC/configure" \
		--target-list=x86_64-softmmu --static \
		--enable-kvm --disable-tcg \
		--without-default-devices --with-devices-x86_64=tdx-minimal \
		--disable-docs --disable-tools --disable-guest-agent \
		--disable-user --disable-debug-info --disable-werror \
		--disable-install-blobs --disable-gio --disable-dbus-display \
		--disable-gtk --disable-sdl --disable-vnc --disable-opengl \
		--disable-spice --disable-curses --disable-slirp \
		--disable-capstone --disable-libudev \
		--disable-seccomp --disable-linux-aio --disable-linux-io-uring \
		--disable-xen --disable-bpf --disable-libusb --disable-usb-redir \
		--disable-gnutls --disable-nettle --disable-gcrypt \
		--disable-png --disable-tpm --disable-vhost-user \
		--disable-vhost-vdpa --disable-vhost-crypto --disable-vhost-net \
		--disable-vhost-kernel --disable-multiprocess \
		--disable-replication --disable-live-block-migration \
		--disable-qed --disable-vdi --disable-parallels --disable-bochs \
		--disable-cloop --disable-dmg --disable-qcow1 --disable-vvfat \
		--disable-keyring --disable-auth-pam --disable-rdma \
		--disable-pvrdma --disable-l2tpv3 --disable-netmap --disable-vde \
		--disable-virtfs --disable-attr --disable-libdaxctl \
		--disable-malloc-trim --audio-drv-list= \
		--disable-plugins --disable-qom-cast-debug \
		> "$QDIR/configure.log" 2>&1) ||
		{ tail -n 30 "$QDIR/configure.log" >&2; rm -f "$BUILD/build.ninja"; exit 1; }
}

install_deps
fetch_source
configure
start=$(date +%s)
ninja -C "$BUILD" -j "$JOBS" qemu-system-x86_64 > "$QDIR/build.log" 2>&1 ||
	{ tail -n 40 "$QDIR/build.log" >&2; exit 1; }
cp "$BUILD/qemu-system-x86_64" "$QDIR/qemu-system-x86_64.new"
strip "$QDIR/qemu-system-x86_64.new"
mv "$QDIR/qemu-system-x86_64.new" "$QDIR/qemu-system-x86_64"
echo "qemu: $QDIR/qemu-system-x86_64 ($(( $(date +%s) - start )) s)"
