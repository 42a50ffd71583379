#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one lane boot from its two serial logs.

The KTAP port carries the test results; the console carries the kernel log,
with "ktest: begin N name" / "ktest: end N name" markers from /init.  A test
fails if it reports "not ok", if its result is missing, or if the kernel
printed a splat (WARN, BUG, oops, KASAN, lockdep, kmemleak, ...) while it
ran.  A splat outside any test fails a pseudo-test named "kernel".

--console-expect RE  one more case per RE (lane LANE_CONSOLE_EXPECT): passes
                     only if the console log has a line matching RE, for
                     what only the host sees (e.g. the last words of a
                     kernel before kexec)
--console-reject RE  likewise, passes only if no console line matches RE
A test that panics on purpose into a crash (kdump) kernel first writes
"ktest: crash N"; from there to the capture kernel's "Linux version" banner
the panic and its call trace are expected, every other report still fails.
A test that oopses on purpose (a deliberate bad access whose report it
checks) first writes "ktest: oops expected N"; until its end marker the
oops ("BUG:", "Oops:", "Call Trace:") is expected, every other report
still fails.  Such a test belongs in its own lane, last: an oops leaves
the kernel tainted and lockdep off.

--expect pass        the lane passes when nothing failed
--expect "fail NAME" a runner self-check: the lane passes (one case) only
                     when test NAME is reported as failed
"""

import argparse
import re
import sys

# Patterns of kernel reports that fail a run.  Each names the report kind.
SPLATS = [
    (re.compile(r"WARNING: CPU: \d+ PID: \d+"), "WARNING"),
    (re.compile(r"\bBUG: "), "BUG"),
    (re.compile(r"kernel BUG at"), "BUG"),
    (re.compile(r"\bOops: "), "Oops"),
    (re.compile(r"general protection fault"), "general protection fault"),
    (re.compile(r"Kernel panic"), "panic"),
    (re.compile(r"\bUBSAN: "), "UBSAN"),
    (re.compile(r"WARNING: (possible|inconsistent|suspicious|bad unlock|"
                r"held lock|lock held|Nested lock|circular)"), "lockdep"),
    (re.compile(r"INFO: task \S+ blocked for more than"), "hung task"),
    (re.compile(r"kmemleak: \d+ new suspected memory leaks"), "kmemleak"),
    (re.compile(r"Call Trace:"), "Call Trace"),
]
MARK = re.compile(r"ktest: (begin|end) (\d+) (\S+)")
CRASH = re.compile(r"ktest: crash \d+")
CRASH_END = re.compile(r"Linux version \d")
CRASH_EXPECTED = {"panic", "Call Trace"}
OOPS = re.compile(r"ktest: oops expected \d+")
OOPS_EXPECTED = {"BUG", "Oops", "Call Trace"}
RESULT = re.compile(r"^(ok|not ok) (\d+) (\S+)(?:\s*#\s*(.*))?$")
PLAN = re.compile(r"^1\.\.(\d+)$")


def read_lines(path):
    try:
        with open(path, errors="replace") as f:
            return [l.rstrip("\r\n").replace("\r", "") for l in f]
    except FileNotFoundError:
        return []


class Case:
    def __init__(self, num, name):
        self.num, self.name = num, name
        self.status = None          # "pass" | "fail" | "skip"
        self.why = []


def parse_ktap(lines, cases):
    plan = None
    for line in lines:
        m = PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = RESULT.match(line)
        if not m:
            continue
        num, name, directive = int(m.group(2)), m.group(3), m.group(4) or ""
        case = cases.setdefault(num, Case(num, name))
        case.name = name
        if m.group(1) == "not ok":
            case.status = "fail"
            case.why.append(directive or "not ok")
        elif directive.upper().startswith("SKIP"):
            case.status = "skip"
            case.why.append(directive)
        else:
            case.status = "pass"
    return plan


def scan_console(lines, cases, kernel_case):
    current = None
    reported = set()
    crashing = False
    oopsing = False
    for idx, line in enumerate(lines):
        if CRASH.search(line):
            crashing = True
            continue
        if OOPS.search(line):
            oopsing = True
            continue
        if crashing and CRASH_END.search(line):
            crashing = False
        m = MARK.search(line)
        if m:
            num, name = int(m.group(2)), m.group(3)
            if m.group(1) == "begin":
                current = cases.setdefault(num, Case(num, name))
            else:
                current = None
                oopsing = False
            continue
        for pattern, kind in SPLATS:
            if not pattern.search(line):
                continue
            if crashing and kind in CRASH_EXPECTED:
                break
            if oopsing and kind in OOPS_EXPECTED:
                break
            target = current or kernel_case
            key = (target.num, kind)
            if key not in reported:
                reported.add(key)
                target.status = "fail"
                target.why.append(f"kernel {kind}: {line.strip()[:160]}")
                excerpt = "\n".join("    | " + l for l in lines[idx:idx + 30])
                target.why.append("console excerpt:\n" + excerpt)
            break


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lane", required=True)
    ap.add_argument("--expect", default="pass")
    ap.add_argument("--machine-rc", type=int, default=0)
    ap.add_argument("--seconds", type=int, default=0)
    ap.add_argument("--console", required=True)
    ap.add_argument("--ktap", required=True)
    ap.add_argument("--result", required=True)
    ap.add_argument("--console-expect", action="append", default=[])
    ap.add_argument("--console-reject", action="append", default=[])
    args = ap.parse_args()

    console = read_lines(args.console)
    ktap = read_lines(args.ktap)
    cases = {}
    plan = parse_ktap(ktap, cases)
    kernel_case = Case(0, "kernel")
    scan_console(console, cases, kernel_case)

    problems = []
    if plan is None:
        problems.append("no KTAP plan: the guest never reached the test runner")
    else:
        for num in range(1, plan + 1):
            case = cases.setdefault(num, Case(num, f"test{num}"))
            if case.status is None:
                case.status = "fail"
                case.why.append("missing result (guest crashed or hung)")
    for case in cases.values():
        if case.status is None:
            # Begun on the console, never reported on the KTAP port.
            case.status = "fail"
            case.why.append("no result on the KTAP port")
    if args.machine_rc == 124:
        problems.append(f"machine timed out after {args.seconds}s")
    elif not any("ktest: end of run" in l for l in console):
        problems.append(f"guest did not power off cleanly "
                        f"(machine rc {args.machine_rc})")
    if kernel_case.status == "fail":
        cases[0] = kernel_case
    for i, regex in enumerate(args.console_expect):
        case = Case(100000 + i, "console_expect_%d" % (i + 1))
        found = any(re.search(regex, l) for l in console)
        case.status = "pass" if found else "fail"
        if not found:
            case.why.append(f"no console line matches '{regex}'")
        cases[case.num] = case
    for i, regex in enumerate(args.console_reject):
        case = Case(200000 + i, "console_reject_%d" % (i + 1))
        hits = [l for l in console if re.search(regex, l)]
        case.status = "fail" if hits else "pass"
        if hits:
            case.why.append(f"console line matches '{regex}': {hits[0]}")
        cases[case.num] = case

    ordered = [cases[k] for k in sorted(cases)]
    counts = {"pass": 0, "fail": 0, "skip": 0}
    for case in ordered:
        counts[case.status or "fail"] += 1

    expect = args.expect.split()
    if expect[0] == "fail":
        # Self-check lane: success means the runner caught the failure.
        want = expect[1]
        caught = any(c.name == want and c.status == "fail" for c in ordered)
        print(f"{'ok' if caught else 'not ok'} - selfcheck {args.lane}: "
              f"failure of '{want}' {'detected' if caught else 'NOT detected'}"
              f" ({args.seconds}s)")
        if not caught:
            for case in ordered:
                print(f"#   {case.name}: {case.status} {'; '.join(case.why)}")
        result = (1, 0, 0) if caught else (0, 1, 0)
    else:
        for case in ordered:
            label = {"pass": "ok", "skip": "ok", "fail": "not ok"}[case.status]
            note = ""
            if case.status == "skip":
                note = " # SKIP"
            print(f"{label} {args.lane}/{case.name}{note}")
            if case.status == "fail":
                for why in case.why:
                    print("#   " + why.replace("\n", "\n#   "))
        for problem in problems:
            print(f"not ok {args.lane}/machine # {problem}")
        fails = counts["fail"] + len(problems)
        result = (counts["pass"], fails, counts["skip"])
        # Benchmarks a test printed as a line of its own ("bench: ...").
        for line in read_lines(args.ktap):
            if line.strip().startswith("bench: "):
                print(line.strip())
        print(f"# lane {args.lane}: {result[0]} passed, {result[1]} failed, "
              f"{result[2]} skipped ({args.seconds}s)")

    with open(args.result, "w") as f:
        f.write("%d %d %d\n" % result)
    sys.exit(0 if result[1] == 0 else 1)


if __name__ == "__main__":
    main()
