# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the tooling scripts (sourced, not run).

# mkcpio DIR ARCHIVE: pack DIR as a reproducible newc archive owned by root.
mkcpio() {
	(cd "$1" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --owner 0:0 --quiet) > "$2"
}

# add_modules ROOT SCRATCH DEB MODULE...: put MODULEs and the modules they
# depend on, from the linux-image package DEB, under ROOT/lib/modules/KVER
# with their modules.dep (busybox modprobe reads it).  SCRATCH is emptied.
add_modules() {
	local root=$1 scratch=$2 deb=$3 kver m ko
	shift 3
	[[ -f $deb ]] || { echo "add_modules: no package $deb (make deb FLAVOUR=...)" >&2; return 1; }
	rm -rf "$scratch" && mkdir -p "$scratch"
	dpkg-deb -x "$deb" "$scratch"
	kver=$(ls "$scratch/lib/modules")
	depmod -b "$scratch" "$kver"
	for m in "$@"; do
		modprobe -d "$scratch" -S "$kver" --show-depends "$m" |
		sed -n 's/^insmod \([^ ]*\).*/\1/p' | while read -r ko; do
			mkdir -p "$root$(dirname "${ko#"$scratch"}")"
			cp "$ko" "$root${ko#"$scratch"}"
		done
	done
	cp "$scratch/lib/modules/$kver"/modules.{order,builtin} "$root/lib/modules/$kver/"
	depmod -b "$root" "$kver"
	rm -rf "$scratch"
}

# lane_var LANEFILE VAR: the value a lane file gives VAR (empty if none).
lane_var() {
	(
		# shellcheck source=/dev/null
		source "$1" && eval "printf '%s\n' \"\${$2:-}\""
	)
}

# lane_flavour LANEFILE: the kernel flavour the lane boots (default debug).
lane_flavour() {
	local f
	f=$(lane_var "$1" LANE_FLAVOUR)
	echo "${f:-debug}"
}

# flavour_suites DIR FLAVOUR: the suites of the lanes (DIR/lanes/*.lane)
# that boot FLAVOUR, one per line.
flavour_suites() {
	local lanefile
	for lanefile in "$1"/lanes/*.lane; do
		[[ $(lane_flavour "$lanefile") = "$2" ]] || continue
		lane_var "$lanefile" LANE_SUITES | tr ' ' '\n' | sed 's/:.*//'
	done | sed '/^$/d' | sort -u
}
