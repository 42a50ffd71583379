#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the <qemu:commandline> arguments of a libvirt domain XML, one per
# line, as libvirt appends them to QEMU's command line.
#   usage: libvirt-args.sh DOMAIN.xml
set -euo pipefail

xml=${1:?usage: libvirt-args.sh DOMAIN.xml}
args="//*[local-name()='commandline']/*[local-name()='arg']"
n=$(xmllint --xpath "count($args)" "$xml")
((n > 0)) || { echo "libvirt-args: no qemu:commandline in $xml" >&2; exit 1; }
for ((i = 1; i <= n; i++)); do
	# xmllint ends the string with a newline.
	xmllint --xpath "string(($args)[$i]/@value)" "$xml"
done
