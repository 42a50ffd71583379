#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Split the faults of a traced bench_fault run into stages.

usage: fault-profile.py CONSOLE_LOG TRACE_OUT

CONSOLE_LOG holds the trace as base64 of gzip between "--- trace begin"
and "--- trace end" (tooling/fault-profile.sh); it is decoded to
TRACE_OUT.  Each fault, from KVM's tracepoints on the vCPU thread:

  kvm_page_fault           the NPF exit handler starts
  kvm_mmu_spte_requested   pfn resolved (memslot, attribute, memfd or HVA),
                           mmu_lock taken, huge page level chosen
  kvm_tdp_mmu_spte_changed the 4K leaf SPTE is installed
  kvm_entry                page reference dropped, back in the guest

A fault at a GPA with the shared bit set is shared, else private (the
test's memory lies below 4G, the shared bit far above).  The
first pass of private faults is left out: it zeroes the pages fallocate()
left uninitialized, which the benchmark does not time either.
"""

import base64
import gzip
import re
import statistics
import sys

EVENT = re.compile(r'\s([\d.]+): (\w+): (.*)')
STAGES = [("resolve", "t0", "t1"), ("map", "t1", "t2"),
          ("release+entry", "t2", "t3"), ("total", "t0", "t3")]


def decode(console, dest):
    log = open(console, errors="replace").read()
    m = re.search(r"--- trace begin\n(.*?)--- trace end", log, re.S)
    if not m:
        sys.exit("fault-profile: no trace in " + console)
    chunks = []
    for line in m.group(1).splitlines():
        # A kernel message may land in the middle of a line.
        line = re.sub(r"\[\s*\d+\.\d+\] .*$", "", line.strip())
        if re.fullmatch(r"[A-Za-z0-9+/=]*", line):
            chunks.append(line)
    text = gzip.decompress(base64.b64decode("".join(chunks))).decode()
    open(dest, "w").write(text)
    for line in log.splitlines():
        if "bench:" in line or "fault-profile:" in line:
            print(line.strip())
    return text.splitlines()


def faults(lines):
    done = {"private": [], "shared": []}
    cur = None
    for line in lines:
        m = EVENT.search(line)
        if not m:
            continue
        t, name, rest = float(m.group(1)), m.group(2), m.group(3)
        if name == "kvm_page_fault":
            addr = int(re.search(r"address (0x[0-9a-f]+)", rest).group(1), 16)
            cur = {"kind": "shared" if addr >> 32 else "private", "t0": t}
        elif cur is None:
            continue
        elif name == "kvm_mmu_spte_requested" and "t1" not in cur:
            cur["t1"] = t
        elif (name == "kvm_tdp_mmu_spte_changed" and "t1" in cur and
              " level 1 old_spte 0 " in rest):
            cur["t2"] = t
        elif name == "kvm_entry":
            if "t2" in cur:
                cur["t3"] = t
                done[cur["kind"]].append(cur)
            cur = None
    return done


def main():
    done = faults(decode(sys.argv[1], sys.argv[2]))
    # One more private pass than shared ones: the untimed first touch.
    first = len(done["private"]) - len(done["shared"])
    done["private"] = done["private"][max(first, 0):]
    med = {}
    for kind, fs in done.items():
        if not fs:
            sys.exit(f"fault-profile: no complete {kind} fault in the trace")
        med[kind] = {s: statistics.median((f[b] - f[a]) * 1e6 for f in fs)
                     for s, a, b in STAGES}
        print(f"fault-profile: {kind:7s} {len(fs):5d} faults, median us: " +
              "  ".join(f"{s} {med[kind][s]:.0f}" for s, _, _ in STAGES))
    print("fault-profile: private/shared: " +
          "  ".join(f"{s} {med['private'][s] / med['shared'][s]:.2f}"
                    for s, _, _ in STAGES))


if __name__ == "__main__":
    main()
