#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Profile of the private fault against the shared one, in the guest of the
# tcg lane's machine:
#   fault-profile.sh OUT [FLAVOUR]
# Runs private_mem_test's bench_fault (the same pages faulted in through the
# private and the shared alias, after REG/UNREG zapped them) with KVM's
# fault tracepoints on, and splits each fault into stages by their
# timestamps (tooling/fault-profile.py).  Prints the median of each stage,
# private and shared, and their ratio.  Tracing slows every fault down by
# the same few tracepoints; compare stages within one run only.
set -euo pipefail

out=$1; flavour=${2:-debug}
here=$(cd "$(dirname "$0")" && pwd)
dir=$out/fault-profile
mkdir -p "$dir/extra"

cat > "$dir/extra/profile.sh" <<'GUEST'
#!/bin/sh
T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null
echo 40000 > $T/buffer_size_kb
echo 0 > $T/tracing_on
echo > $T/trace
for e in kvm/kvm_page_fault kvm/kvm_entry kvmmmu/kvm_mmu_spte_requested \
	 kvmmmu/kvm_tdp_mmu_spte_changed; do
	echo 1 > $T/events/$e/enable || echo "fault-profile: no event $e"
done
echo 1 > $T/tracing_on
/tests/kvm/x86_64/private_mem_test bench_fault
echo 0 > $T/tracing_on
grep -h overrun $T/per_cpu/cpu*/stats | sed 's/^/fault-profile: /'
echo "--- trace begin"
grep -v '^#' $T/trace | gzip -c | base64
echo "--- trace end"
GUEST
chmod +x "$dir/extra/profile.sh"

EXTRA_TESTS=$dir/extra "$here/run-lane.sh" "$out" "$flavour" fault-profile \
	cmd 'sh /extra/profile.sh' > "$dir/run.log" 2>&1 ||
	{ tail -20 "$dir/run.log"; exit 1; }
python3 "$here/fault-profile.py" "$out/lanes/fault-profile/console.log" \
	"$dir/trace.txt"
