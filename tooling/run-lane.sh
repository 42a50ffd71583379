#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one lane and judge it.
#   usage: run-lane.sh OUT FLAVOUR LANE [MODE [COMMAND]]
# MODE is check (default), run, cmd or shell (see guest/init).  A lane is
# tooling/lanes/LANE.lane: a machine, its options, a kernel command line and
# the suites to run.  Knobs from the environment:
#   EXTRA_TESTS=dir    run every executable in dir too (lanes with
#                      LANE_EXTRA_TESTS=1), one KTAP case each
#   QEMU_OPTS=...      appended to the machine's options
#   KERNEL_CMDLINE=... appended to the kernel command line
# The result (check mode) is printed and stored in $OUT/lanes/LANE/result as
# "passed failed skipped".
set -euo pipefail

out=$1; flavour=$2; lane=$3; mode=${4:-check}; command=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
lanefile=$here/lanes/$lane.lane
[[ -f $lanefile ]] || { echo "run-lane: no such lane: $lane ($lanefile)" >&2; exit 2; }

LANE_MACHINE=qemu LANE_QEMU_OPTS="" LANE_CMDLINE="" LANE_SUITES=""
LANE_KMEMLEAK=0 LANE_EXTRA_TESTS=0 LANE_EXTRA_TESTS_DIR="" LANE_TIMEOUT=600 LANE_EXPECT=pass
# LANE_QMP=1: a QMP socket and tooling/qmp-helper.py, which runs the QMP
# requests the guest prints (tooling/guest/qmp-request); its log is
# lanes/LANE/qmp.log.  LANE_KEXEC=1: the kernel image goes into the
# initramfs as /boot/bzImage, for guest tests that kexec.
# LANE_CONSOLE_EXPECT: regexes separated by newlines, each one more case
# that passes only if the console log matches it; LANE_CONSOLE_REJECT:
# likewise, passes only if it does not.
LANE_QMP=0 LANE_KEXEC=0 LANE_CONSOLE_EXPECT="" LANE_CONSOLE_REJECT=""
# LANE_MODULES: modules the guest loads at boot (guest/init), taken with
# their dependencies from LANE_MODULES_DEB, a linux-image package (for a
# kernel with Debian's configuration, whose KVM is modular).
LANE_MODULES="" LANE_MODULES_DEB=""
# LANE_FLAVOUR: the kernel flavour the lane boots (tooling/config/
# FLAVOUR.config, built in $OUT/build-FLAVOUR); empty means the FLAVOUR
# given to this script.  `make lane` and check.sh build the flavour a
# lane names (lane_flavour in tooling/lib.sh).
LANE_FLAVOUR="" LANE_KERNEL=""
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=/dev/null
source "$lanefile"
flavour=${LANE_FLAVOUR:-$flavour}
LANE_KERNEL=${LANE_KERNEL:-$out/build-$flavour/arch/x86/boot/bzImage}
# shellcheck source=/dev/null
source "$here/machines/$LANE_MACHINE.sh"
QEMU_OPTS=${QEMU_OPTS:-}

dir=$out/lanes/$lane
rm -rf "$dir"
mkdir -p "$dir/root/etc/lane"
echo "$mode" > "$dir/root/etc/lane/mode"
[[ -n $command ]] && printf '%s\n' "$command" > "$dir/root/etc/lane/cmd"
[[ $LANE_KMEMLEAK = 1 ]] && touch "$dir/root/etc/lane/kmemleak"
if [[ $LANE_KEXEC = 1 ]]; then
	mkdir -p "$dir/root/boot"
	cp "$LANE_KERNEL" "$dir/root/boot/bzImage"
fi
: > "$dir/root/etc/lane/tests"
# A suite may run more than once in a lane: "SUITE:TAG" appends _TAG to
# the names of its tests (e.g. kvm-selftests-vmx:tdx_on).
for suite in $LANE_SUITES; do
	tag=
	[[ $suite = *:* ]] && tag=_${suite#*:}
	sed -E "/^[[:space:]]*(#|$)/! s/^([^[:space:]]+)/\1$tag/" \
		"$here/suites/${suite%%:*}.tests" >> "$dir/root/etc/lane/tests"
done
extra=
[[ $LANE_EXTRA_TESTS = 1 ]] && extra=${EXTRA_TESTS:-}
# A lane may name its own directory (relative to the repo), e.g. to check
# the EXTRA_TESTS plumbing itself.
[[ -n ${LANE_EXTRA_TESTS_DIR:-} ]] && extra=$(dirname "$here")/$LANE_EXTRA_TESTS_DIR
if [[ -n $extra ]]; then
	[[ -d $extra ]] || { echo "run-lane: EXTRA_TESTS=$extra is not a directory" >&2; exit 2; }
	mkdir -p "$dir/root/extra"
	for prog in "$extra"/*; do
		[[ -f $prog && -x $prog ]] || continue
		name=extra_$(basename "$prog" | tr -c 'A-Za-z0-9_.\n-' _)
		cp "$prog" "$dir/root/extra/"
		echo "$name ${EXTRA_TIMEOUT:-300} /extra/$(basename "$prog")" \
			>> "$dir/root/etc/lane/tests"
	done
fi
if [[ -n $LANE_MODULES ]]; then
	add_modules "$dir/root" "$dir/deb" "$LANE_MODULES_DEB" $LANE_MODULES
	echo "$LANE_MODULES" > "$dir/root/etc/lane/modules"
fi
mkcpio "$dir/root" "$dir/lane.cpio"
parts=("$out/initramfs-$flavour.cpio")
grep -q '/tests/kvm/' "$dir/root/etc/lane/tests" && parts+=("$out/initramfs-$flavour-kvm.cpio")
grep -q '/tests/qemu/' "$dir/root/etc/lane/tests" && parts+=("$out/initramfs-$flavour-qemu.cpio")
cat "${parts[@]}" "$dir/lane.cpio" > "$dir/initrd.cpio"

# no5lvl: with -cpu max the guest would use 5-level paging. 6.1 then has a
# boot race under KASAN: identify_boot_cpu() clears boot_cpu_data's
# capabilities with interrupts on and alternatives not yet applied, so an
# interrupt in that window sees LA57 "off", KASAN takes the per-cpu address
# as outside its shadow and reports a wild-memory-access in rcu_is_watching().
# It is rare (two boots in several hundred) and not in code we ship.
# KASAN_INLINE narrows it but does not close it: the compiler's inline
# checks skip that test, but memcpy() and the instrumented atomics still go
# through kasan_check_range(), which makes it.
cmdline="console=ttyS0 panic=-1 no5lvl $LANE_CMDLINE ${KERNEL_CMDLINE:-}"
if [[ $mode = shell ]]; then
	machine_interactive "$LANE_KERNEL" "$dir/initrd.cpio" "$cmdline"
	exit 0
fi

start=$(date +%s)
helper=
if [[ $LANE_QMP = 1 ]]; then
	export MACHINE_QMP_SOCKET=$dir/qmp.sock
	: > "$dir/console.log"
	python3 "$here/qmp-helper.py" --socket "$MACHINE_QMP_SOCKET" \
		--console "$dir/console.log" --log "$dir/qmp.log" --pid $$ &
	helper=$!
fi
set +e
machine_boot "$LANE_KERNEL" "$dir/initrd.cpio" "$cmdline" \
	"$dir/console.log" "$dir/ktap.log" "$LANE_TIMEOUT"
rc=$?
[[ -n $helper ]] && { kill "$helper" 2>/dev/null; wait "$helper" 2>/dev/null; }
set -e
secs=$(( $(date +%s) - start ))

if [[ $mode != check ]]; then
	# run/cmd: show what the guest printed after the kernel's boot noise.
	sed -n '/^ktest\|feature-status\|Run \/init/,$p' "$dir/console.log" |
		grep -v '^\[' || true
	grep -q 'ktest: end of run' "$dir/console.log" ||
		{ echo "run-lane: $lane: guest did not finish (qemu rc $rc, ${secs}s); see $dir/console.log" >&2; exit 1; }
	exit 0
fi

expects=()
while IFS= read -r regex; do
	[[ -n $regex ]] && expects+=(--console-expect "$regex")
done <<< "$LANE_CONSOLE_EXPECT"
while IFS= read -r regex; do
	[[ -n $regex ]] && expects+=(--console-reject "$regex")
done <<< "$LANE_CONSOLE_REJECT"
python3 "$here/ktap_report.py" --lane "$lane" --expect "$LANE_EXPECT" \
	"${expects[@]}" \
	--machine-rc "$rc" --seconds "$secs" \
	--console "$dir/console.log" --ktap "$dir/ktap.log" \
	--result "$dir/result"
