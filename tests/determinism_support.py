"""What the tests of byte-identical builds share: git repositories made with fixed names and dates,
`ilp` run in a fresh interpreter with a chosen PYTHONHASHSEED, and two output folders compared byte
for byte.

Python randomizes the iteration order of sets of strings per process, so an order that reaches the
output shows up only when builds run in different processes with different seeds and their folders
are compared (tests/test_determinism.py, tests/test_jobs.py, tests/test_incremental.py,
tests/test_shards.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

TRACEBACK = "Traceback (most recent call last)"
RIVERA = ("Marisol Rivera", "mrivera@harborview.example.org")


def git(root: Path, *args: str, date: str | None = None, author: tuple[str, str] | None = None) -> str:
    """`git ARGS` in `root`, untouched by the user's or the system's configuration; commits are made by
    Ms. Rivera unless `author` says another, on `date` when given. Returns what git printed."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(root.parent),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "LC_ALL": "C",
        "TZ": "UTC",
        "GIT_AUTHOR_NAME": RIVERA[0],
        "GIT_AUTHOR_EMAIL": RIVERA[1],
        "GIT_COMMITTER_NAME": RIVERA[0],
        "GIT_COMMITTER_EMAIL": RIVERA[1],
    }
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    if author is not None:
        env["GIT_AUTHOR_NAME"], env["GIT_AUTHOR_EMAIL"] = author
    done = subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def commit(root: Path, message: str, date: str, author: tuple[str, str] = RIVERA, *paths: str) -> None:
    """Commit everything in `root` (or only `paths`) as `author`, on `date`."""
    git(root, "add", "-A", *paths)
    git(root, "commit", "-q", "-m", message, date=date, author=author)


def ilp(
    *args: str, seed: int = 0, timeout: float = 180.0, code: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`ilp ARGS` in a fresh interpreter with this PYTHONHASHSEED; a hang is a failure, not a stuck run.

    The variables that point git at another repository (set while a git hook runs) are left out, so the
    district's own history is read."""
    env = {**os.environ, **(env or {}), "PYTHONHASHSEED": str(seed)}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    command = [sys.executable, "-c", code or "from generator.cli import main; main()", *args]
    with subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the command and any worker it started
            stdout, stderr = proc.communicate()
            pytest.fail(f"ilp {' '.join(args)} did not finish in {timeout:.0f} s (a hang): {stderr[-2000:]}")
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def assert_no_traceback(text: str) -> None:
    assert TRACEBACK not in text, text
    assert "internal error" not in text, text


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None) under `folder`, by relative path."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = b"<symlink> " + os.readlink(path).encode()
        elif path.is_dir():
            found[rel] = None
        else:
            found[rel] = path.read_bytes()
    return found


def _first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = max(0, at - 60)
    return f"at byte {at}: {a[start : at + 60]!r} != {b[start : at + 60]!r}"


def differences(actual: Path, expected: Path) -> list[str]:
    """What differs between two output folders: files or folders only in one, and files whose bytes differ."""
    left, right = snapshot(actual), snapshot(expected)
    found = []
    for name in sorted(left.keys() | right.keys()):
        if name not in right:
            found.append(f"only in {actual.name}/: {name}")
        elif name not in left:
            found.append(f"only in {expected.name}/: {name}")
        elif left[name] != right[name]:
            a, b = left[name], right[name]
            if a is None or b is None:
                found.append(f"a folder in one, a file in the other: {name}")
            else:
                found.append(f"differs: {name} {_first_difference(a, b)}")
    return found


def assert_same_site(actual: Path, expected: Path) -> None:
    """Both folders were built and hold the same files and folders, byte for byte."""
    assert expected.is_dir(), f"{expected} was not built"
    assert actual.is_dir(), f"{actual} was not built"
    found = differences(actual, expected)
    assert not found, f"{len(found)} differences between {actual} and {expected}:\n" + "\n".join(found[:15])
