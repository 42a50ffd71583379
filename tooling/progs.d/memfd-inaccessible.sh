#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the inaccessible memfd selftest and benchmark (static) into
# $PROGS/memfd/, with the memfd selftests' own Makefile.
set -euo pipefail

make -s -C "$SRC/tools/testing/selftests/memfd" OUTPUT="$PROGS/memfd" \
	KHDR_INCLUDES="$KHDR" USERCFLAGS="$KHDR" USERLDFLAGS=-static \
	"$PROGS/memfd/inaccessible_memfd_test" \
	"$PROGS/memfd/inaccessible_memfd_bench"
