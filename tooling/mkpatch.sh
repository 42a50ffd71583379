#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Turn edits made in out/src into a patch for patches/:
#   tooling/mkpatch.sh NAME.patch "subsys: summary" MSGFILE PATH...
# PATHs are kernel-tree paths edited in $OUT/src (default out/src); the diff
# is taken against the pristine base, so the patch must be the only change
# to those files (rebuild it from scratch when changing it).  MSGFILE holds
# the commit message body ("-" for stdin).  Append NAME.patch to
# patches/series yourself, in the right place.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
out=${OUT:-$repo/out}
name=$1 subject=$2 msg=$3
shift 3
base=$out/base/linux-source-6.1
author=${PATCH_AUTHOR:-$(git -C "$repo" config user.name) <$(git -C "$repo" config user.email)>}

{
	echo "From: $author"
	echo "Subject: [PATCH] $subject"
	echo
	if [[ $msg = - ]]; then cat; else cat "$msg"; fi
	echo
	echo "Signed-off-by: $author"
	echo "---"
	for path in "$@"; do
		old=$base/$path
		[[ -e $old ]] || old=/dev/null
		diff -u --label "a/$path" --label "b/$path" "$old" "$out/src/$path" || true
	done
} > "$repo/patches/$name"
echo "mkpatch: wrote patches/$name"
