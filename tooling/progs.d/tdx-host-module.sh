#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The out-of-tree module and what its stock-kernel lane (stock-module)
# runs in the guest: tdx_host.ko built against the stock kernel's
# headers (warnings are errors here) with the stock sha512_generic.ko
# it needs, tdx-plan linked statically, and tooling/guest/tdx-oot-test.  Installed under /tests/oot/ and
# /tests/bin/.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

kdir=$("$here/stock-kernel.sh" build)
[[ -d $kdir ]] || { echo "tdx-host-module: $kdir missing (tooling/deps.sh)" >&2; exit 1; }
stage=$("$here/oot-stage.sh" "$OUT")
log=$OUT/oot/build.log
make -C "$kdir" M="$stage" W=1 modules > "$log" 2>&1 ||
	{ cat "$log" >&2; echo "tdx-host-module: build failed" >&2; exit 1; }
if grep -i 'warning' "$log" | grep -v 'Skipping BTF generation'; then
	echo "tdx-host-module: warnings building tdx_host.ko against $kdir" >&2
	exit 1
fi
mkdir -p "$PROGS/oot"
cp "$stage/tdx_host.ko" "$stage/tdx_tdh_test.ko" "$PROGS/oot/"
# The software module measures TDs with the crypto API's sha384, a module
# on the stock kernel; the guest has no modprobe data, so it goes along.
cp "$("$here/stock-kernel.sh" modules)/kernel/crypto/sha512_generic.ko" \
	"$PROGS/oot/"

MAKEFLAGS= make -s -C "$SRC/tools/testing/tdx-plan" SANITIZE= \
	LDFLAGS='-static -pthread' OUT="$OUT/oot/tdx-plan" \
	"$OUT/oot/tdx-plan/tdx-plan"
install -m 0755 "$OUT/oot/tdx-plan/tdx-plan" "$PROGS/bin/tdx-plan"
install -m 0755 "$here/guest/tdx-oot-test" "$PROGS/bin/tdx-oot-test"
