# SPDX-License-Identifier: GPL-2.0
# Machine driver: QEMU, x86_64, TCG.  Sourced by run-lane.sh.
#
# machine_boot KERNEL INITRD CMDLINE CONSOLE_LOG KTAP_LOG TIMEOUT
#   Boots non-interactively: serial 0 (the kernel console) goes to
#   CONSOLE_LOG, serial 1 (the KTAP port) to KTAP_LOG.  Returns QEMU's exit
#   code, or 124 when TIMEOUT (seconds) expired.
#   With MACHINE_QMP_SOCKET set, QEMU serves QMP on that unix socket
#   (run-lane.sh sets it for lanes with LANE_QMP=1).
# machine_interactive KERNEL INITRD CMDLINE
#   Serial 0 on the terminal (Ctrl-A X quits), serial 1 discarded.

machine_boot() {
	local kernel=$1 initrd=$2 cmdline=$3 console=$4 ktap=$5 limit=$6
	local qmp=()
	[[ -n ${MACHINE_QMP_SOCKET:-} ]] &&
		qmp=(-qmp "unix:$MACHINE_QMP_SOCKET,server=on,wait=off")
	# shellcheck disable=SC2086 # option lists are word-split on purpose
	timeout --foreground -k 10 "$limit" \
		qemu-system-x86_64 $LANE_QEMU_OPTS $QEMU_OPTS "${qmp[@]}" \
		-nographic -no-reboot -monitor none \
		-serial "file:$console" -serial "file:$ktap" \
		-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
		< /dev/null
}

machine_interactive() {
	local kernel=$1 initrd=$2 cmdline=$3
	# shellcheck disable=SC2086
	qemu-system-x86_64 $LANE_QEMU_OPTS $QEMU_OPTS \
		-nographic -no-reboot -serial mon:stdio -serial null \
		-kernel "$kernel" -initrd "$initrd" -append "$cmdline"
}
