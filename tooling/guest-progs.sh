#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the static programs the guest runs, against the tree's own headers
# (`make headers` output in the build directory):
#   usage: guest-progs.sh OUT FLAVOUR
# Output: $OUT/progs-$FLAVOUR/, laid out as /tests in the initramfs.
# Only what a suite names is built (e.g. memfd_test, not the fuse tests).
set -euo pipefail

out=$1; flavour=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
src=$out/src
build=$out/build-$flavour
progs=$out/progs-$flavour
khdr="-isystem $build/usr/include"
jobs=${JOBS:-$(nproc)}

# Start clean: the initramfs takes every program found here.
rm -rf "$progs"
mkdir -p "$progs/bin" "$progs/memfd" "$progs/kvm" "$progs/selfcheck"

# Tooling programs.
gcc -static -O2 -Wall -Werror -o "$progs/bin/feature-status" \
	"$here/guest/feature-status.c"
gcc -static -O2 -Wall -Werror -o "$progs/bin/private-peek" \
	"$here/guest/private-peek.c"
cp "$here/guest/demo" "$progs/bin/"
# The Bochs lane's KVM guest (against the tree's uAPI: KVM_CAP_VM_TYPES).
# shellcheck disable=SC2086
gcc -static -O2 -Wall -Werror $khdr -o "$progs/bin/vmx-exit-bench" \
	"$here/guest/vmx-exit-bench.c"

# selftests/memfd: memfd_test only.
make -s -C "$src/tools/testing/selftests/memfd" OUTPUT="$progs/memfd" \
	KHDR_INCLUDES="$khdr" USERCFLAGS="$khdr" USERLDFLAGS=-static \
	"$progs/memfd/memfd_test"

# selftests/kvm: the programs named in the suites of the lanes that boot
# this flavour, so that a lane's tests (the Bochs lane's vmx_*) do not
# grow the initramfs of the others.
mapfile -t suites < <(flavour_suites "$here" "$flavour")
mapfile -t kvm_tests < <(for suite in "${suites[@]}"; do
				 cat "$here/suites/$suite.tests"; done |
			 grep -o '/tests/kvm/[^ ]*' | sed 's|^/tests/kvm/||' | sort -u)
if ((${#kvm_tests[@]})); then
	make -s -C "$src/tools/testing/selftests/kvm" -j"$jobs" \
		OUTPUT="$progs/kvm" KHDR_INCLUDES="$khdr" EXTRA_CFLAGS=-static \
		"${kvm_tests[@]/#/$progs/kvm/}"
fi

# Modules the kernel build produced (KUnit test modules and the like), and
# the guest helper that runs KUnit modules.
mkdir -p "$progs/modules"
find "$build" -name '*.ko' -exec cp {} "$progs/modules/" \;
cp "$here/guest/kunit-run" "$here/guest/vmx-lane" "$progs/bin/"

# Runner self-check module, built out of tree against this kernel.
rm -rf "$out/leak-module"
cp -r "$here/guest/leak-module" "$out/leak-module"
make -s -C "$build" M="$out/leak-module" modules
cp "$out/leak-module/ktest_leak.ko" "$progs/selfcheck/"

# Extra programs from the repo's own selftests, if a later change adds a
# builder for them.
for extra in "$here"/progs.d/*.sh; do
	[[ -e $extra ]] || continue
	OUT=$out FLAVOUR=$flavour SRC=$src BUILD=$build PROGS=$progs \
		KHDR="$khdr" bash "$extra"
done
echo "guest-progs: $(find "$progs" -type f -perm -u+x | wc -l) programs in $progs"
