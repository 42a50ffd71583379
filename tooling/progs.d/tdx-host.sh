#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest programs of the TDX host core tests: a busybox script (see
# tooling/guest/tdx-host-test) installed as /tests/bin/tdx-host-test.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
install -m 0755 "$here/guest/tdx-host-test" "$PROGS/bin/tdx-host-test"
