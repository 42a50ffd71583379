#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Assemble the kernel tree: Debian's 6.1 base + this repo's overlay + patches.

Layout under OUT (default: <repo>/out):
  base/linux-source-6.1/   pristine unpacked base, never modified
  base/stamp               identity of the tarball it came from
  src/                     the assembled tree the kernel is built from
  src/.assembled-files     files that differ from the base, from the last run
  stage/                   scratch: the touched files, patched

Reassembly is incremental and content-based: only files whose assembled
content changed are rewritten in src/, so make rebuilds only what changed,
and a file that stops being overlaid or patched is restored from the base.
"""

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys

TARBALL = "/usr/src/linux-source-6.1.tar.xz"
BASE_DIRNAME = "linux-source-6.1"
# Top-level directories of the repo that are overlaid onto the kernel tree.
OVERLAY_ROOTS = ("arch", "block", "drivers", "fs", "include", "kernel", "lib",
                 "mm", "virt", "Documentation", "tools", "samples")


def die(msg):
    print(f"assemble: error: {msg}", file=sys.stderr)
    sys.exit(1)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def debian_version():
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}",
                              "linux-source-6.1"], capture_output=True,
                             text=True, check=True).stdout.strip()
        return out or "unknown"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def kernel_version(tree):
    fields = {}
    with open(os.path.join(tree, "Makefile")) as f:
        for line in f:
            m = re.match(r"^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION) = ?(.*)$",
                         line)
            if m:
                fields[m.group(1)] = m.group(2).strip()
            if len(fields) == 4:
                break
    return "{VERSION}.{PATCHLEVEL}.{SUBLEVEL}{EXTRAVERSION}".format(**fields)


def ensure_base(out):
    """Unpack the pristine base once per tarball; return its path."""
    if not os.path.exists(TARBALL):
        die(f"{TARBALL} not found: install linux-source-6.1 (tooling/deps.sh)")
    st = os.stat(TARBALL)
    ident = f"{TARBALL} {st.st_size} {int(st.st_mtime)} {debian_version()}\n"
    base_dir = os.path.join(out, "base")
    pristine = os.path.join(base_dir, BASE_DIRNAME)
    stamp = os.path.join(base_dir, "stamp")
    if os.path.isdir(pristine) and os.path.exists(stamp) and \
            open(stamp).read() == ident:
        return pristine, False
    print(f"assemble: unpacking {TARBALL}")
    shutil.rmtree(base_dir, ignore_errors=True)
    os.makedirs(base_dir)
    run(["tar", "-C", base_dir, "-xJf", TARBALL])
    if not os.path.isdir(pristine):
        die(f"{TARBALL} did not contain {BASE_DIRNAME}/")
    # The base must never be written to: make it read-only.
    run(["chmod", "-R", "a-w", pristine])
    with open(stamp, "w") as f:
        f.write(ident)
    return pristine, True


def overlay_files(repo):
    """Files of the repo that live at kernel paths (tracked or untracked,
    but not ignored)."""
    roots = [r for r in OVERLAY_ROOTS if os.path.isdir(os.path.join(repo, r))]
    if not roots:
        return []
    try:
        out = subprocess.run(["git", "-C", repo, "ls-files", "-z", "--cached",
                              "--others", "--exclude-standard", "--"] + roots,
                             capture_output=True, check=True).stdout
        files = [p.decode() for p in out.split(b"\0") if p]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for r in roots:
            for dirpath, _, names in os.walk(os.path.join(repo, r)):
                for n in names:
                    files.append(os.path.relpath(os.path.join(dirpath, n), repo))
    return sorted(f for f in set(files)
                  if os.path.isfile(os.path.join(repo, f)))


def read_series(repo):
    series = os.path.join(repo, "patches", "series")
    if not os.path.exists(series):
        return []
    patches = []
    with open(series) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            path = os.path.join(repo, "patches", line)
            if not os.path.isfile(path):
                die(f"patches/series names {line}, which does not exist")
            patches.append(line)
    return patches


def patch_targets(path):
    """Paths (relative to the tree, -p1) a patch reads or writes."""
    targets = set()
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith(("--- ", "+++ ")):
                name = line[4:].split("\t", 1)[0].strip()
                if name == "/dev/null":
                    continue
                parts = name.split("/", 1)
                if len(parts) == 2:
                    targets.add(parts[1])
    return targets


def copy_into(src_root, rel, dst_root):
    dst = os.path.join(dst_root, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if os.path.lexists(dst):
        os.unlink(dst)
    shutil.copy(os.path.join(src_root, rel), dst)
    os.chmod(dst, os.stat(dst).st_mode | 0o200)


def apply_patch(repo, stage, name):
    path = os.path.join(repo, "patches", name)
    res = subprocess.run(["patch", "-p1", "--fuzz=0", "--forward",
                          "--no-backup-if-mismatch", "-r", "-", "-d", stage,
                          "-i", path], capture_output=True, text=True)
    if res.returncode == 0:
        return
    out = res.stdout + res.stderr
    current = None
    failed = []
    for line in out.splitlines():
        m = re.match(r"^(?:patching|checking) file '?([^']*)'?$", line)
        if m:
            current = m.group(1)
        elif "FAILED" in line or "can't find file" in line or \
                "Reversed (or previously applied)" in line or \
                "No such file" in line:
            failed.append(current or "?")
    files = ", ".join(sorted(set(failed))) or "?"
    sys.stderr.write(out)
    die(f"patch {name} does not apply (--fuzz=0) to: {files}")


def assemble(repo, out, quiet):
    pristine, fresh = ensure_base(out)
    src = os.path.join(out, "src")
    record = os.path.join(src, ".assembled-files")
    if fresh or not os.path.isdir(src):
        print("assemble: creating out/src from the base")
        shutil.rmtree(src, ignore_errors=True)
        run(["cp", "-a", pristine, src])
        run(["chmod", "-R", "u+w", src])

    # 1. Stage the touched files: overlay copies, then patched base files.
    stage = os.path.join(out, "stage")
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(stage)

    overlay = overlay_files(repo)
    for rel in overlay:
        if os.path.lexists(os.path.join(pristine, rel)):
            die(f"{rel} exists in the 6.1 base: the repo must not hold a copy "
                "of an upstream file; change it with a patch in patches/")
        copy_into(repo, rel, stage)

    patches = read_series(repo)
    touched = set(overlay)
    for name in patches:
        for rel in patch_targets(os.path.join(repo, "patches", name)):
            if rel in touched:
                continue
            touched.add(rel)
            if os.path.isfile(os.path.join(pristine, rel)):
                copy_into(pristine, rel, stage)
    for name in patches:
        apply_patch(repo, stage, name)

    # 2. Sync into src/ by content, restoring what is no longer touched.
    previous = set()
    if os.path.exists(record):
        with open(record) as f:
            previous = {l.rstrip("\n") for l in f if l.strip()}
    changed = 0
    for rel in sorted(touched | previous):
        if os.path.lexists(os.path.join(stage, rel)):
            want_root = stage
        elif os.path.lexists(os.path.join(pristine, rel)):
            want_root = pristine
        else:
            want_root = None
        dst = os.path.join(src, rel)
        if want_root is None:
            if os.path.lexists(dst):
                os.unlink(dst)
                changed += 1
            continue
        want = os.path.join(want_root, rel)
        if os.path.isfile(dst) and filecmp.cmp(want, dst, shallow=False):
            continue
        copy_into(want_root, rel, src)
        changed += 1
    with open(record, "w") as f:
        for rel in sorted(touched):
            f.write(rel + "\n")

    print(f"assemble: base linux-source-6.1 {debian_version()} "
          f"(Linux {kernel_version(pristine)}), {len(overlay)} overlay files, "
          f"{len(patches)} patches, {changed} files updated")
    if not quiet:
        for name in patches:
            print(f"assemble:   applied {name}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", default=os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--out", default=None)
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args()
    out = os.path.abspath(args.out or os.path.join(args.repo, "out"))
    os.makedirs(out, exist_ok=True)
    assemble(os.path.abspath(args.repo), out, args.quiet)


if __name__ == "__main__":
    main()
