#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Do QEMU monitor (QMP) actions when the guest asks for them.

A lane with LANE_QMP=1 gets a QMP socket; run-lane.sh starts this helper
next to QEMU.  It follows the console log and, for every line

    ktest-qmp: ID REQUEST

that the guest writes to /dev/kmsg (tooling/guest/qmp-request does), runs
REQUEST once per ID and appends the exchange to the helper's log.  REQUEST
is either a raw QMP command as JSON ({"execute": ..., "arguments": ...}) or
a macro:

    hotplug-cpu [CORE]  device_add the first hotpluggable CPU slot that
                        query-hotpluggable-cpus lists as empty (the slot
                        with core-id CORE)
    unplug-cpu CORE     device_del the CPU in the slot with core-id CORE

The guest cannot see the reply; it waits for the effect (a memory block or
a CPU appearing in sysfs).  The helper exits when QEMU goes away.
"""

import argparse
import json
import os
import re
import socket
import sys
import time

REQ = re.compile(r"ktest-qmp: (\S+) (.*)$")


class Qmp:
    def __init__(self, path, log):
        self.log = log
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = b""
        self.nr_cpus_added = 0
        self.recv()                             # greeting
        self.cmd({"execute": "qmp_capabilities"})

    def recv(self):
        """One reply or event; events are logged and skipped by cmd()."""
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("QMP socket closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, command):
        self.log.write("-> %s\n" % json.dumps(command))
        self.sock.sendall(json.dumps(command).encode() + b"\n")
        while True:
            reply = self.recv()
            self.log.write("<- %s\n" % json.dumps(reply))
            self.log.flush()
            if "event" not in reply:
                return reply


def hotplug_cpu(qmp, core=None):
    slots = qmp.cmd({"execute": "query-hotpluggable-cpus"}).get("return", [])
    for slot in slots:
        if "qom-path" in slot:
            continue
        if core is not None and slot["props"].get("core-id") != core:
            continue
        args = dict(slot["props"])
        args["driver"] = slot["type"]
        qmp.nr_cpus_added += 1
        args["id"] = "ktest-cpu%d" % qmp.nr_cpus_added
        return qmp.cmd({"execute": "device_add", "arguments": args})
    return {"error": {"desc": "no empty CPU slot"}}


def unplug_cpu(qmp, core):
    slots = qmp.cmd({"execute": "query-hotpluggable-cpus"}).get("return", [])
    for slot in slots:
        if "qom-path" in slot and slot["props"].get("core-id") == core:
            return qmp.cmd({"execute": "device_del",
                            "arguments": {"id": slot["qom-path"]}})
    return {"error": {"desc": "no CPU with core-id %d" % core}}


def run(qmp, request):
    words = request.split()
    if words and words[0] == "hotplug-cpu" and len(words) <= 2:
        return hotplug_cpu(qmp, int(words[1]) if len(words) == 2 else None)
    if words and words[0] == "unplug-cpu" and len(words) == 2:
        return unplug_cpu(qmp, int(words[1]))
    return qmp.cmd(json.loads(request))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--console", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--pid", type=int, help="stop when this process exits")
    args = ap.parse_args()

    with open(args.log, "a") as log:
        qmp = None
        for _ in range(600):
            try:
                qmp = Qmp(args.socket, log)
                break
            except (FileNotFoundError, ConnectionRefusedError, EOFError):
                time.sleep(0.1)
        if qmp is None:
            log.write("qmp-helper: no QMP socket at %s\n" % args.socket)
            return 1

        done, pos = set(), 0
        while True:
            try:
                with open(args.console, "rb") as f:
                    f.seek(pos)
                    chunk = f.read()
            except FileNotFoundError:
                chunk = b""
            # Only whole lines; the rest is read again next time.
            cut = chunk.rfind(b"\n") + 1
            pos += cut
            for raw in chunk[:cut].decode(errors="replace").splitlines():
                m = REQ.search(raw)
                if not m or m.group(1) in done:
                    continue
                done.add(m.group(1))
                log.write("request %s: %s\n" % (m.group(1), m.group(2)))
                try:
                    run(qmp, m.group(2))
                except (ValueError, KeyError) as e:
                    log.write("bad request %s: %s\n" % (m.group(1), e))
                except (EOFError, OSError):
                    return 0
                log.flush()
            if args.pid:
                try:
                    os.kill(args.pid, 0)
                except ProcessLookupError:
                    return 0
            time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
