#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the TDX host benchmark as a table (prints only, never fails):
# PAMT size and tdx_enable() time against memory size, from the bench
# lines the tdx-* lanes (and tcg) left in their KTAP logs, plus the
# time to zero as much memory as the PAMTs take (the floor).
#   usage: tooling/tdx-bench-table.sh [OUT]
out=${1:-${OUT:-$(dirname "$0")/../out}}
printf '%-22s %12s %10s %6s %12s %12s %8s\n' lane MemTotal_KB PAMT_KB TDMRs \
	enable_us zero_us ratio
for log in "$out"/lanes/*/ktap.log; do
	lane=$(basename "$(dirname "$log")")
	grep -h 'bench: MemTotal' "$log" 2>/dev/null | head -1 |
	sed 's/.*MemTotal \([0-9]*\) KB: pamt_kb \([0-9]*\) tdmrs \([0-9]*\) enable_us \([0-9]*\) zero_us \([0-9]*\).*/\1 \2 \3 \4 \5/' |
	while read -r mem pamt n en zero; do
		ratio=$(awk -v a="$en" -v b="$zero" 'BEGIN { if (b) printf "%.1fx", a / b; else print "-" }')
		printf '%-22s %12s %10s %6s %12s %12s %8s\n' "$lane" "$mem" "$pamt" \
			"$n" "$en" "$zero" "$ratio"
	done
done
echo "(userspace, layout only: make -C out/src/tools/testing/tdx-host bench)"
