#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest programs of the TDX host lifecycle tests: the busybox scripts
# tdx-lifecycle-test and qmp-request, and the static kexec loader.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
install -m 0755 "$here/guest/tdx-lifecycle-test" "$PROGS/bin/tdx-lifecycle-test"
install -m 0755 "$here/guest/qmp-request" "$PROGS/bin/qmp-request"
gcc -static -O2 -Wall -Werror -o "$PROGS/bin/kexec-self" "$here/guest/kexec-self.c"
