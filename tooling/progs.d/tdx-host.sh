#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest programs of the TDX host core tests: busybox scripts (see
# tooling/guest/tdx-host-test and tdx-unmap-test) installed in /tests/bin.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
install -m 0755 "$here/guest/tdx-host-test" "$PROGS/bin/tdx-host-test"
install -m 0755 "$here/guest/tdx-unmap-test" "$PROGS/bin/tdx-unmap-test"
