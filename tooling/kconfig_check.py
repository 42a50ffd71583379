#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fail if olddefconfig dropped or changed an option a fragment requires.

usage: kconfig_check.py .config fragment...
"""
import re
import sys


def parse(path):
    opts = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            m = re.match(r"^(CONFIG_\w+)=(.*)$", line)
            if m:
                opts[m.group(1)] = m.group(2)
                continue
            m = re.match(r"^# (CONFIG_\w+) is not set$", line)
            if m:
                opts[m.group(1)] = "n"
    return opts


def main():
    config = parse(sys.argv[1])
    # A later fragment overrides an earlier one, as in the .config they
    # are appended to (e.g. a flavour turning a base =y into =m).
    required = {}
    for frag in sys.argv[2:]:
        for opt, want in parse(frag).items():
            required[opt] = (want, frag)
    bad = 0
    for opt, (want, frag) in required.items():
        have = config.get(opt, "n")
        if have != want:
            print(f"kconfig: {opt}={want} required by {frag} but "
                  f".config has {opt}={have} (check its dependencies)",
                  file=sys.stderr)
            bad += 1
    if bad:
        print(f"kconfig: {bad} required option(s) dropped out", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
