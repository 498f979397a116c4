"""Which students' history changed since the last build, without reading the history (for the build cache).

A student's change record comes from the commits that touch their folder. The last build recorded
the commit it was built from and, per student, a token of the history their pages were made from;
`tokens()` gives this build's tokens from the last ones, with at most three small git calls:

- the commit checked out is the same: every token is kept;
- the last build's commit is on this one's first-parent line (new commits on top, a pull request
  merged): only the folders that a new commit touches, on either side of a rename and against every
  parent of a merge, get a new token (each of those commits is listed with `--full-history`, so a
  change a merge left out still counts);
- anything else (a rebase, an amended or reset commit, another branch, a deepened shallow clone, git
  failing): every token is new, and every student is rebuilt.

A student whose folder is a repository of its own (a submodule's checkout) has their repository's
checked-out commit as token. A token is never trusted from a guess: when in doubt, it changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

from generator.history.git import student_repositories

NONE = "no-history"  # the district is not in git (or git is missing): there is no record to go stale


def _git(cwd: Path, *args: str, data: bytes | None = None) -> bytes | None:
    """git's output, or None when it fails (the caller then trusts nothing)."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=data,
            capture_output=True,
            check=False,
            timeout=120,
            env={**os.environ, "LC_ALL": "C", "LANGUAGE": "C"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def checked_out(root: Path) -> str:
    """What the district's repository has checked out: the commit and whether the clone is shallow
    (and how deep), or NONE outside git."""
    found = _git(root, "rev-parse", "HEAD", "--is-shallow-repository", "--git-dir")
    if found is None:
        return NONE
    head, shallow, git_dir = [*found.decode().splitlines(), "", "", ""][:3]
    depth = ""
    if shallow.strip() == "true":
        try:
            depth = hashlib.sha256((root / git_dir.strip() / "shallow").read_bytes()).hexdigest()
        except OSError:
            depth = f"unknown-{time.time_ns()}"  # never the same twice
    return f"{head.strip()}:{shallow.strip()}:{depth}"


def _touched(root: Path, old: str, new: str) -> set[str] | None:
    """The student folders the commits from `old` (excluded) to `new` touch; None when `old` is not on
    `new`'s first-parent line (then nothing can be kept)."""
    line = _git(root, "rev-list", "--first-parent", "--parents", f"{old}..{new}")
    if line is None:
        return None
    rows = [r.split() for r in line.decode().splitlines()]
    if not rows or len(rows[-1]) < 2 or rows[-1][1] != old:
        return None
    names = _git(
        root, "log", "--full-history", "-m", "--no-renames", "--name-only", "--relative", "-z", "--format=",
        f"{old}..{new}", "--", "students/",
    )  # fmt: skip
    if names is None:
        return None
    folders = set()
    for path in names.decode("utf-8", errors="replace").replace("\n", "\0").split("\0"):
        parts = path.strip().split("/")
        if len(parts) > 2 and parts[0] == "students":
            folders.add(parts[1])
    return folders


def own_head(folder: Path) -> str | None:
    """The commit a student's own repository has checked out, read from its files (no git process);
    None when it cannot be told for sure."""
    marker = folder / ".git"
    try:
        if marker.is_file():
            text = marker.read_text(encoding="utf-8").strip()
            if not text.startswith("gitdir:"):
                return None
            git_dir = (folder / text.removeprefix("gitdir:").strip()).resolve()
        else:
            git_dir = marker
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref:"):
            return head if len(head) in (40, 64) else None
        ref = head.removeprefix("ref:").strip()
        common = git_dir
        if (git_dir / "commondir").is_file():
            common = (git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip()).resolve()
        for base in (git_dir, common):
            if (base / ref).is_file():
                return (base / ref).read_text(encoding="utf-8").strip() or None
        for base in (git_dir, common):
            packed = base / "packed-refs"
            if packed.is_file():
                for row in packed.read_text(encoding="utf-8").splitlines():
                    sha, _, name = row.partition(" ")
                    if name.strip() == ref:
                        return sha.strip()
        return None
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def tokens(root: Path, names: Iterable[str], last_head: str | None, last: dict[str, str]) -> tuple[str, dict[str, str]]:
    """This build's commit (as `checked_out`) and each student's history token, from the last build's."""
    head = checked_out(root)
    names = sorted(names)
    own = student_repositories(root, names)
    found: dict[str, str] = {}
    touched: set[str] | None = None
    if head == NONE or (last_head is not None and last_head == head):
        touched = set()
    elif last_head is not None and last_head != NONE and head.split(":")[1:] == last_head.split(":")[1:]:
        touched = _touched(root, last_head.split(":")[0], head.split(":")[0])
    for name in names:
        if name in own:
            commit = own_head(own[name])
            found[name] = f"own:{commit}" if commit else f"own-unknown:{time.time_ns()}"  # never the same twice
        elif head == NONE:
            found[name] = NONE
        elif touched is not None and name not in touched and name in last and not last[name].startswith("own"):
            found[name] = last[name]
        else:
            found[name] = f"{head.split(':')[0]}:{name}"
    return head, found
