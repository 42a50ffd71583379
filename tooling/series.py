#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Export the project as an upstream-style patch series against the 6.1 base.

  series.py export   build OUT/series/: a git tree of the pristine base,
                     one commit per entry of tooling/series/manifest, and
                     `git format-patch` files with a cover letter in
                     OUT/series/patches/
  series.py verify   export, then `git am` the patch files onto the base
                     and check that the result is the tree `make tree`
                     assembles (OUT/src), file for file
  series.py bisect   export, then build every prefix of the series with
                     the debug configuration (slow: see the README)

The base git tree is made once per base tarball (OUT/series/git, about a
minute) and reused.  Authorship and Signed-off-by come from the exporting
repository's `git config user.name/user.email`, else from the project
identity below.
"""

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import assemble  # noqa: E402  (the same overlay and patch rules as make tree)

PROJECT_NAME = "TDX host enablement project"
PROJECT_EMAIL = "tdx-host@lists.invalid"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
MANIFEST = os.path.join(HERE, "series", "manifest")
COVER = os.path.join(HERE, "series", "cover-letter.txt")


def die(msg):
    print(f"series: error: {msg}", file=sys.stderr)
    sys.exit(1)


def git(tree, *args, env=None, capture=True, check=True):
    res = subprocess.run(["git", "-C", tree] + list(args), env=env,
                         capture_output=capture, text=True)
    if check and res.returncode:
        die(f"git {' '.join(args)}: {res.stderr.strip() or res.stdout.strip()}")
    return res.stdout.strip() if capture else ""


class Entry:
    def __init__(self, subject, line):
        self.subject = subject
        self.line = line
        self.apply = []
        self.globs = []
        self.body = []
        self.files = []


def parse_manifest(path):
    entries = []
    key = None
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                if key == "body" and not line.strip():
                    entries[-1].body.append("")
                continue
            m = re.match(r"^(patch|apply|files|body):\s*(.*)$", line)
            if m:
                key, val = m.groups()
                if key == "patch":
                    entries.append(Entry(val.strip(), n))
                elif not entries:
                    die(f"manifest:{n}: '{key}:' before any 'patch:'")
                elif key == "apply":
                    entries[-1].apply += val.split()
                elif key == "files":
                    entries[-1].globs += val.split()
                continue
            if key == "body" and line.startswith("\t"):
                entries[-1].body.append(line[1:])
            elif key in ("apply", "files") and line[:1].isspace():
                getattr(entries[-1], "apply" if key == "apply" else
                        "globs").extend(line.split())
            else:
                die(f"manifest:{n}: cannot parse: {line!r}")
    for e in entries:
        while e.body and not e.body[-1]:
            e.body.pop()
    return entries


def glob_match(path, pattern):
    """fnmatch where * stays inside a directory and ** crosses them."""
    rx = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            rx += ".*"
            i += 2
        elif pattern[i] == "*":
            rx += "[^/]*"
            i += 1
        else:
            rx += re.escape(pattern[i]) if pattern[i] != "?" else "[^/]"
            i += 1
    return re.fullmatch(rx, path) is not None


def assign(entries, overlay, patches):
    """Give every overlay file and patch to exactly one entry."""
    problems = []
    for rel in overlay:
        owners = [e for e in entries
                  if any(glob_match(rel, g) for g in e.globs)]
        if not owners:
            problems.append(f"overlay file {rel} is in no manifest entry")
        else:
            owners[0].files.append(rel)
    named = [p for e in entries for p in e.apply]
    for p in patches:
        if named.count(p) != 1:
            problems.append(f"patch {p} is named {named.count(p)} times "
                            "in the manifest (want 1)")
    for p in named:
        if p not in patches:
            problems.append(f"manifest names {p}, which is not in "
                            "patches/series")
    for e in entries:
        if not e.files and not e.apply:
            problems.append(f"manifest:{e.line}: entry '{e.subject}' is empty")
    if problems:
        die("the manifest does not match the repository:\n  " +
            "\n  ".join(problems) + "\n(edit tooling/series/manifest)")


def patch_message(name):
    """Subject and body of a patch in patches/, without Signed-off-by."""
    subject, body, in_hdr, in_body = None, [], True, False
    with open(os.path.join(REPO, "patches", name)) as f:
        for line in f:
            line = line.rstrip("\n")
            if in_hdr:
                m = re.match(r"^Subject: (?:\[PATCH[^\]]*\] )?(.*)$", line)
                if m:
                    subject = m.group(1)
                elif not line and subject:
                    in_hdr, in_body = False, True
                continue
            if line == "---" or line.startswith("diff --git"):
                break
            if line.startswith("Signed-off-by:"):
                continue
            body.append(line)
    if not subject:
        die(f"patches/{name} has no Subject: line")
    while body and not body[-1]:
        body.pop()
    return subject, body


def identity():
    name = git(REPO, "config", "user.name", check=False) or PROJECT_NAME
    email = git(REPO, "config", "user.email", check=False) or PROJECT_EMAIL
    return name, email


def message(entry, ident):
    subject, body = entry.subject, list(entry.body)
    m = re.match(r"^message from (\S+)$", subject)
    if m:
        subject, pbody = patch_message(m.group(1))
        body = pbody + ([""] + body if body else [])
    return "\n".join([subject, ""] + body +
                     ["", f"Signed-off-by: {ident[0]} <{ident[1]}>", ""])


def base_tree(out):
    """OUT/series/git: a git work tree of the pristine base, commit 'base'."""
    pristine, _ = assemble.ensure_base(out)
    stamp = open(os.path.join(out, "base", "stamp")).read()
    tree = os.path.join(out, "series", "git")
    mark = os.path.join(out, "series", "git.stamp")
    if os.path.isdir(tree) and os.path.exists(mark) and \
            open(mark).read() == stamp:
        return tree, pristine
    print("series: making a git tree of the base (once per base tarball)")
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(os.path.dirname(tree), exist_ok=True)
    subprocess.run(["cp", "-a", pristine, tree], check=True)
    subprocess.run(["chmod", "-R", "u+w", tree], check=True)
    git(tree, "init", "-q", "-b", "series")
    git(tree, "config", "core.autocrlf", "false")
    git(tree, "config", "gc.auto", "0")
    git(tree, "add", "-A", "-f")
    ver = assemble.kernel_version(pristine)
    env = dict(os.environ, GIT_AUTHOR_NAME=PROJECT_NAME,
               GIT_AUTHOR_EMAIL=PROJECT_EMAIL, GIT_COMMITTER_NAME=PROJECT_NAME,
               GIT_COMMITTER_EMAIL=PROJECT_EMAIL,
               GIT_AUTHOR_DATE="2000-01-01T00:00:00Z",
               GIT_COMMITTER_DATE="2000-01-01T00:00:00Z")
    git(tree, "commit", "-q", "-m",
        f"Linux {ver} (Debian linux-source-6.1 {assemble.debian_version()})",
        env=env)
    git(tree, "tag", "base")
    with open(mark, "w") as f:
        f.write(stamp)
    return tree, pristine


def reset_to_base(tree):
    git(tree, "am", "--abort", check=False)
    git(tree, "checkout", "-q", "-f", "-B", "series", "base")
    git(tree, "clean", "-q", "-f", "-d", "-x")


def build_commits(out, entries, ident):
    tree, pristine = base_tree(out)
    reset_to_base(tree)
    env = dict(os.environ, GIT_AUTHOR_NAME=ident[0], GIT_AUTHOR_EMAIL=ident[1],
               GIT_COMMITTER_NAME=ident[0], GIT_COMMITTER_EMAIL=ident[1])
    for n, e in enumerate(entries, 1):
        for rel in e.files:
            if os.path.lexists(os.path.join(pristine, rel)):
                die(f"{rel} exists in the 6.1 base")
            assemble.copy_into(REPO, rel, tree)
        for name in e.apply:
            assemble.apply_patch(REPO, tree, name)
        git(tree, "add", "-A", "-f")
        msg = message(e, ident)
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = \
            f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}Z"
        res = subprocess.run(["git", "-C", tree, "commit", "-q", "-F", "-"],
                             input=msg, text=True, env=env,
                             capture_output=True)
        if res.returncode:
            die(f"entry '{e.subject}' changes nothing or cannot be "
                f"committed: {res.stdout}{res.stderr}")
    return tree


def touched_base_files(tree):
    """Files of the base that the series modifies."""
    out = git(tree, "diff", "--name-only", "--diff-filter=MD", "base", "series")
    return [l for l in out.splitlines() if l]


def checkpatch(tree, files):
    """checkpatch.pl --strict per patch: {patch: [(type, line)]}."""
    result = {}
    for p in files:
        res = subprocess.run(["perl", "scripts/checkpatch.pl", "--strict",
                              "--terse", "--show-types", "--no-summary",
                              "--ignore", "FILE_PATH_CHANGES", p], cwd=tree,
                             capture_output=True, text=True)
        issues = []
        for line in res.stdout.splitlines():
            m = re.match(r"^.*?:\d+: (?:WARNING|ERROR|CHECK):([A-Z_0-9]+):",
                         line)
            if m:
                issues.append((m.group(1), line.split(": ", 1)[-1]))
        result[os.path.basename(p)] = issues
    return result


def read_justifications():
    """[(type, patch-name glob, why)] from tooling/series/checkpatch-justified."""
    just = []
    path = os.path.join(HERE, "series", "checkpatch-justified")
    with open(path) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                typ, glob, why = line.rstrip("\n").split(None, 2)
                just.append((typ, glob, why))
    return just


def justification(just, typ, patch):
    for t, glob, why in just:
        if t == typ and fnmatch.fnmatch(patch, glob):
            return why
    return None


def write_cover(tree, pdir, entries, ident, cp):
    files = sorted(os.path.join(pdir, f) for f in os.listdir(pdir))
    cover = files[0]
    ver = assemble.kernel_version(os.path.join(tree))
    base = git(tree, "log", "-1", "--format=%s", "base")
    touched = touched_base_files(tree)
    just = read_justifications()
    counts = {}
    unjustified = set()
    for name, issues in cp.items():
        for typ, _ in issues:
            why = justification(just, typ, name)
            if why is None:
                unjustified.add(f"{typ} in {name}")
                why = "NOT JUSTIFIED"
            key = (re.sub(r"^\d+-", "", name)[:40], typ, why)
            counts[key] = counts.get(key, 0) + 1
    lines = [f"  {patch}: {typ} ({n}): {why}"
             for (patch, typ, why), n in sorted(counts.items())]
    text = open(COVER).read().format(
        base=base, version=ver, npatches=len(entries),
        author=f"{ident[0]} <{ident[1]}>",
        touched="\n".join("  " + t for t in touched),
        checkpatch="\n".join(lines) or "  none: every patch is clean")
    subject, _, blurb = text.partition("\n\n")
    raw = open(cover).read()
    if "*** SUBJECT HERE ***" not in raw or "*** BLURB HERE ***" not in raw:
        die("unexpected format-patch cover letter")
    raw = raw.replace("*** SUBJECT HERE ***", subject.strip())
    raw = raw.replace("*** BLURB HERE ***", blurb.rstrip())
    with open(cover, "w") as f:
        f.write(raw)
    return sorted(unjustified)


def export(out):
    entries = parse_manifest(MANIFEST)
    overlay = assemble.overlay_files(REPO)
    patches = assemble.read_series(REPO)
    assign(entries, overlay, patches)
    ident = identity()
    t0 = time.time()
    tree = build_commits(out, entries, ident)
    pdir = os.path.join(out, "series", "patches")
    shutil.rmtree(pdir, ignore_errors=True)
    git(tree, "format-patch", "-q", "--cover-letter", "--no-signature",
        "--zero-commit", "--subject-prefix=PATCH", "-o", pdir, "base..series")
    files = sorted(os.path.join(pdir, f) for f in os.listdir(pdir))
    cp = checkpatch(tree, files[1:])
    unjustified = write_cover(tree, pdir, entries, ident, cp)
    with open(os.path.join(out, "series", "checkpatch.txt"), "w") as f:
        for name, issues in cp.items():
            for typ, line in issues:
                f.write(f"{name}: {typ}: {line}\n")
    print(f"series: {len(entries)} patches and a cover letter in {pdir} "
          f"({time.time() - t0:.0f}s), author {ident[0]} <{ident[1]}>")
    if unjustified:
        die("checkpatch --strict reports types the cover letter does not "
            f"justify: {', '.join(sorted(unjustified))} (see "
            f"{out}/series/checkpatch.txt; fix them or justify them in "
            "tooling/series/checkpatch-justified)")
    return tree, pdir, entries


def verify(out):
    tree, pdir, entries = export(out)
    want = git(tree, "rev-parse", "series^{tree}")
    git(tree, "checkout", "-q", "-f", "-B", "am-check", "base")
    files = sorted(os.path.join(pdir, f) for f in os.listdir(pdir))[1:]
    res = subprocess.run(["git", "-C", tree, "am", "-q", "--keep-cr"] + files,
                         capture_output=True, text=True)
    if res.returncode:
        git(tree, "am", "--abort", check=False)
        die(f"git am of the series onto the base failed:\n{res.stdout}"
            f"{res.stderr}")
    got = git(tree, "rev-parse", "HEAD^{tree}")
    if got != want:
        die("git am produced a different tree than the exported commits")
    # The assembled tree is the base plus the files in .assembled-files.
    assemble.assemble(REPO, out, quiet=True)
    src = os.path.join(out, "src")
    with open(os.path.join(src, ".assembled-files")) as f:
        assembled = {l.rstrip("\n") for l in f if l.strip()}
    changed = set(git(tree, "diff", "--name-only", "base", "HEAD").splitlines())
    bad = []
    for rel in sorted(assembled | changed):
        a = os.path.join(tree, rel)
        b = os.path.join(src, rel)
        if os.path.lexists(a) != os.path.lexists(b):
            bad.append(f"{rel}: only in the "
                       f"{'series' if os.path.lexists(a) else 'assembled'} tree")
        elif os.path.lexists(a) and open(a, "rb").read() != open(b, "rb").read():
            bad.append(f"{rel}: differs")
    stray = changed - assembled
    bad += [f"{rel}: changed by the series, not by make tree" for rel in stray]
    if bad:
        die("the series does not reproduce out/src:\n  " + "\n  ".join(bad))
    print(f"series: git am of {len(files)} patches onto the base reproduces "
          f"the assembled tree ({len(assembled)} files touched)")


def bisect(out, flavour, first=1):
    tree, pdir, entries = export(out)
    revs = git(tree, "rev-list", "--reverse", "base..series").split()
    build = os.path.join(out, "series", f"build-{flavour}")
    frags = [os.path.join(HERE, "config", "base.config"),
             os.path.join(HERE, "config", f"{flavour}.config")]
    env = dict(os.environ, CCACHE_BASEDIR=tree, CCACHE_NOHASHDIR="1")
    jobs = os.environ.get("JOBS", str(os.cpu_count()))
    kmake = ["make", "-C", tree, f"O={build}", f"-j{jobs}", "CC=ccache gcc",
             "HOSTCC=ccache gcc", "-s"]
    failed = []
    todo = list(enumerate(revs, 1))[max(first, 1) - 1:]
    for n, rev in todo:
        t0 = time.time()
        git(tree, "checkout", "-q", "-f", rev)
        os.makedirs(build, exist_ok=True)
        subprocess.run(kmake + ["tinyconfig"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(build, ".config"), "a") as cfg:
            for fr in frags:
                cfg.write(open(fr).read())
        subprocess.run(kmake + ["olddefconfig"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        res = subprocess.run(kmake + ["bzImage", "modules"], env=env,
                             capture_output=True, text=True)
        subj = git(tree, "log", "-1", "--format=%s", rev)
        ok = res.returncode == 0
        print(f"{'ok' if ok else 'not ok'} {n} {subj} # time={time.time() - t0:.0f}s")
        if not ok:
            failed.append(subj)
            sys.stdout.write(res.stderr[-3000:])
    git(tree, "checkout", "-q", "-f", "series")
    print(f"{len(todo) - len(failed)} passed, {len(failed)} failed, "
          f"{len(revs) - len(todo)} skipped")
    return not failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["export", "verify", "bisect"])
    ap.add_argument("--out", default=os.path.join(REPO, "out"))
    ap.add_argument("--flavour", default="debug")
    ap.add_argument("--from", dest="first", type=int, default=1,
                    help="bisect: start at this prefix (1 = the first patch)")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    if args.action == "export":
        export(out)
    elif args.action == "verify":
        verify(out)
    else:
        sys.exit(0 if bisect(out, args.flavour, args.first) else 1)


if __name__ == "__main__":
    main()
