#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build checks of the out-of-tree module, one KTAP-like line each:
#   oot-build   tdx_host.ko builds against the stock kernel's installed
#               headers (tooling/stock-kernel.sh), W=1, no warning
#   oot-dkms    `make dkms-tarball`'s tarball goes through `dkms add` and
#               `dkms build` in a throwaway DKMS tree under OUT (the
#               host's DKMS state is never touched); installs the dkms
#               package if missing
#   usage: oot-check.sh OUT
# Exit status: the number of failed checks.
set -uo pipefail

out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
dir=$out/oot-check
rm -rf "$dir" && mkdir -p "$dir"
failed=0

result() {	# result NAME RC LOG
	if [[ $2 -eq 0 ]]; then
		echo "ok $1"
	else
		echo "not ok $1"
		tail -30 "$3" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
}

release=$("$here/stock-kernel.sh" release)
kdir=$("$here/stock-kernel.sh" build)

build() {
	local stage

	stage=$("$here/oot-stage.sh" "$out") || return 1
	make -C "$kdir" M="$stage" W=1 modules || return 1
	# Debian's headers have no vmlinux for BTF: that note is no warning.
	! grep -i 'warning' "$dir/build.log" | grep -v 'Skipping BTF generation'
}
build > "$dir/build.log" 2>&1
result "oot-build tdx_host.ko against $kdir" $? "$dir/build.log"

dkms_install() {
	command -v dkms > /dev/null && return 0
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends dkms
}

dkms_check() {
	local tarball name version

	tarball=$("$here/dkms-tarball.sh" "$out") || return 1
	name=$(basename "$tarball" .tar.gz)
	version=${name#tdx-host-}
	mkdir -p "$dir/source" "$dir/tree"
	tar -C "$dir/source" -xzf "$tarball" || return 1
	set -x
	dkms add -m tdx-host -v "$version" --sourcetree "$dir/source" \
		--dkmstree "$dir/tree" || return 1
	# DKMS signs what it builds; its key goes to the throwaway tree too.
	mok_signing_key=$dir/mok.key mok_certificate=$dir/mok.pub \
	dkms build -m tdx-host -v "$version" -k "$release" \
		--sourcetree "$dir/source" --dkmstree "$dir/tree" || return 1
	dkms status -m tdx-host --dkmstree "$dir/tree" --sourcetree "$dir/source"
	set +x
	ls "$dir/tree/tdx-host/$version/$release/x86_64/module/tdx_host.ko"* &&
		[[ -f $dir/mok.key && $(host_dkms_state) = "$host_state" ]]
}
# The host's DKMS directory, before and after: unchanged.  "Before" is
# after installing the package, which creates the directory.
host_dkms_state() { ls -lA /var/lib/dkms 2>/dev/null; }
{ dkms_install && host_state=$(host_dkms_state) && dkms_check; } \
	> "$dir/dkms.log" 2>&1
result "oot-dkms add and build (throwaway tree $dir/tree)" $? "$dir/dkms.log"
exit $failed
