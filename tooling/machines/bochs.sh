# SPDX-License-Identifier: GPL-2.0
# Machine driver: Bochs, x86_64 with VMX (EPT), 2 CPUs.  Sourced by
# run-lane.sh; the same interface as qemu.sh.
#
# machine_boot KERNEL INITRD CMDLINE CONSOLE_LOG KTAP_LOG TIMEOUT
#   Boots non-interactively: COM1 (the kernel console) goes to CONSOLE_LOG,
#   COM2 (the KTAP port) to KTAP_LOG.  Returns 0 when the guest powered
#   off, 124 when TIMEOUT (seconds) expired, else Bochs' exit code.
# machine_interactive KERNEL INITRD CMDLINE
#   Not supported: Bochs has no terminal display here.
#
# Bochs cannot load a kernel itself: the kernel, the initramfs and the
# command line go on an isolinux CD image that Bochs' own BIOS boots
# (packages isolinux, syslinux-common, genisoimage; bochsbios, vgabios).
# SeaBIOS is not used: under it Bochs never started the second CPU.
#
# The CPU: with corei7_skylake_x the kernel WARNs "XSAVE consistency
# problem" (Bochs' XSAVE area sizes do not match its feature bits), so
# the lane uses the Haswell model (VMX with EPT, unrestricted guest and
# VPID, GenuineIntel family 6).  LANE_BOCHS_CPU overrides the cpu: line,
# LANE_BOCHS_MEGS the RAM (MiB).  The lane's own option string
# (LANE_QEMU_OPTS, QEMU_OPTS) is ignored.
#
# Time: clock sync=none, so the guest's clock follows emulated
# instructions at BOCHS_IPS per second, not the host's wall clock; a
# loaded host slows the guest down but does not make its timeouts fire
# early.  TIMEOUT is wall-clock time.

BOCHS_IPS=${BOCHS_IPS:-200000000}

# bochs_iso KERNEL INITRD CMDLINE ISO: write the boot CD.
bochs_iso() {
	local kernel=$1 initrd=$2 cmdline=$3 iso=$4 dir
	dir=$(dirname "$iso")/iso
	rm -rf "$dir"
	mkdir -p "$dir"
	cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$dir/"
	cp "$kernel" "$dir/vmlinuz"
	cp "$initrd" "$dir/initrd.img"
	cat > "$dir/isolinux.cfg" <<-EOF
	DEFAULT lane
	PROMPT 0
	TIMEOUT 0
	LABEL lane
	  KERNEL /vmlinuz
	  INITRD /initrd.img
	  APPEND $cmdline
	EOF
	genisoimage -quiet -R -J -o "$iso" -b isolinux.bin -c boot.cat \
		-no-emul-boot -boot-load-size 4 -boot-info-table "$dir"
	rm -rf "$dir"
}

# bochs_rc ISO CONSOLE_LOG KTAP_LOG RC: write the Bochs configuration.
bochs_rc() {
	local iso=$1 console=$2 ktap=$3 rc=$4
	local megs=${LANE_BOCHS_MEGS:-2048}
	local cpu=${LANE_BOCHS_CPU:-"model=corei7_haswell_4770, count=1:2:1"}
	cat > "$rc" <<-EOF
	config_interface: textconfig
	display_library: rfb, options="timeout=0"
	romimage: file=/usr/share/bochs/BIOS-bochs-latest
	vgaromimage: file=/usr/share/vgabios/vgabios.bin
	cpu: $cpu, ips=$BOCHS_IPS, reset_on_triple_fault=0
	memory: guest=$megs, host=$megs
	pci: enabled=1, chipset=i440fx
	ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
	ata0-master: type=cdrom, path="$iso", status=inserted
	boot: cdrom
	clock: sync=none, time0=utc
	com1: enabled=1, mode=file, dev="$console"
	com2: enabled=1, mode=file, dev="$ktap"
	speaker: enabled=0
	sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
	mouse: enabled=0
	log: $(dirname "$rc")/bochs.log
	panic: action=fatal
	error: action=report
	info: action=ignore
	debug: action=ignore
	EOF
}

# bochs_watch PID CONSOLE_LOG: wait for the Bochs run PID (its timeout
# wrapper) and return 0 if the guest finished, else its exit code.  Bochs
# exits with 1 when the guest powers off, and a panicking guest
# (panic=-1) reboots instead of ending the run: once the console shows
# the end of the run or a panic, stop Bochs (after a grace period for
# the power-off) rather than let it boot the CD again.
bochs_watch() {
	local pid=$1 console=$2 rc grace=0
	while kill -0 "$pid" 2>/dev/null; do
		if grep -q 'ktest: end of run\|Kernel panic - not syncing' "$console"; then
			grace=$((grace + 1))
			((grace > 10)) && kill "$pid" 2>/dev/null
		fi
		sleep 2
	done
	wait "$pid"
	rc=$?
	if grep -q 'Kernel panic - not syncing' "$console"; then
		return 1
	fi
	if [[ $rc -ne 124 ]] && grep -q 'ktest: end of run' "$console"; then
		return 0
	fi
	return "$rc"
}

machine_boot() {
	local kernel=$1 initrd=$2 cmdline=$3 console=$4 ktap=$5 limit=$6
	local dir rc
	dir=$(dirname "$console")
	# Bochs and the ISO tools are installed when this lane first runs.
	# shellcheck disable=SC2154 # $here is run-lane.sh's tooling directory
	"$here/deps.sh" bochs || return 1
	bochs_iso "$kernel" "$initrd" "$cmdline" "$dir/boot.iso" || return 1
	bochs_rc "$dir/boot.iso" "$console" "$ktap" "$dir/bochsrc"
	: > "$console"
	: > "$ktap"
	# The built-in debugger waits for "c" before it starts the machine.
	echo c | timeout --foreground -k 10 "$limit" \
		bochs-bin -q -f "$dir/bochsrc" > "$dir/bochs.out" 2>&1 &
	bochs_watch "$!" "$console"
	rc=$?
	rm -f "$dir/boot.iso"
	return $rc
}

machine_interactive() {
	echo "bochs: no interactive mode; use a QEMU lane for 'make boot'" >&2
	return 1
}
