# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the tooling scripts (sourced, not run).

# mkcpio DIR ARCHIVE: pack DIR as a reproducible newc archive owned by root.
mkcpio() {
	(cd "$1" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --owner 0:0 --quiet) > "$2"
}
