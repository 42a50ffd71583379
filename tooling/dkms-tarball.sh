#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make dkms-tarball`: the out-of-tree module's DKMS source tarball,
#   $OUT/tdx-host-VERSION.tar.gz  (top directory tdx-host-VERSION/)
# which `dkms add` takes once unpacked under /usr/src (see README).
#   usage: dkms-tarball.sh OUT
set -euo pipefail

out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
stage=$("$here/oot-stage.sh" "$out")
name=$(basename "$stage")
tar -C "$(dirname "$stage")" --owner=0 --group=0 --sort=name \
	-czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz"
