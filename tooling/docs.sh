#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make docs`: build the documentation directories the project writes to
# with Sphinx (the kernel's htmldocs, limited by SPHINXDIRS) and fail on any
# warning that the plain 6.1 base does not print for the same directories.
#   usage: docs.sh OUT [--baseline]
# --baseline builds the pristine base instead and rewrites
# tooling/docs-baseline.txt.  Warnings are compared without line numbers
# and build paths, so that a page that grows does not shift the baseline.
# Also validates the project's sysfs ABI files with scripts/get_abi.pl.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$1" && pwd); mode=${2:-check}
dirs="x86 mm virt"
baseline=$here/docs-baseline.txt
jobs=${JOBS:-$(nproc)}

if [[ $mode = --baseline ]]; then
	src=$out/base/linux-source-6.1
	build=$out/build-docs-base
else
	src=$out/src
	build=$out/build-docs
fi
[[ -f $src/Makefile ]] || { echo "docs: no tree at $src (make tree)" >&2; exit 2; }

log=$build/sphinx.log
mkdir -p "$build"
start=$(date +%s)
# -E: read every page again; an incremental build would not repeat the
# warnings of pages that did not change.
make -C "$src" O="$build" SPHINXDIRS="$dirs" SPHINXOPTS="-j$jobs -q -E" \
	htmldocs > "$log" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))

# "<src>/Documentation/x86/tdx.rst:12: WARNING: foo" -> "Documentation/x86/tdx.rst: WARNING: foo"
normalize() {
	grep -E 'WARNING|ERROR|CRITICAL' "$1" |
		sed -E "s|^[^ :]*/Documentation/|Documentation/|; s|^([^:]+):[0-9]+:|\1:|; s|:[0-9]+: |: |" |
		sort -u
}

if [[ $mode = --baseline ]]; then
	{
		echo "# Sphinx warnings of the plain 6.1 base for SPHINXDIRS=\"$dirs\""
		echo "# (tooling/docs.sh --baseline, Sphinx $(sphinx-build --version 2>&1 | awk '{print $NF}'))."
		normalize "$log"
	} > "$baseline"
	echo "docs: baseline of $(grep -vc '^#' "$baseline") warnings in ${secs}s -> $baseline"
	exit $rc
fi

new=$(comm -13 <(grep -v '^#' "$baseline" | sort -u) <(normalize "$log"))
abi=$(cd "$src" && perl scripts/get_abi.pl validate --dir Documentation/ABI 2>&1 |
	grep -i 'tdx' || true)
if [[ $rc -ne 0 || -n $new || -n $abi ]]; then
	[[ $rc -ne 0 ]] && { echo "docs: htmldocs failed (rc $rc), last lines of $log:"; tail -20 "$log"; }
	[[ -n $new ]] && { echo "docs: warnings beyond the base's baseline:"; echo "$new" | sed 's/^/  /'; }
	[[ -n $abi ]] && { echo "docs: scripts/get_abi.pl validate:"; echo "$abi" | sed 's/^/  /'; }
	exit 1
fi
echo "docs: SPHINXDIRS=\"$dirs\" built in ${secs}s, no warnings beyond the base's $(grep -vc '^#' "$baseline"); HTML in $build/Documentation/output"
