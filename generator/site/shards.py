"""Shards: a district's students split into N stable parts, built on N machines and merged into one site.

A student's shard comes from a hash of their id alone, so it never changes from run to run or from
machine to machine, and adding a student moves no one else. `ilp build --shard I/N` writes only
that part's student sites and a marker, `.ilp-shard.json`, naming the part and the build (the
generator, the theme, the options, the date); `ilp build --merge` builds the shared pages itself
and takes every part's folders in, after checking that the parts are all there, once each, and
come from the same build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Collection
from pathlib import Path
from typing import Any

from generator.errors import IlpError

MARKER = ".ilp-shard.json"
_SPEC = re.compile(r"(\d+)/(\d+)")


def parse(spec: str) -> tuple[int, int]:
    """'2/3' -> (2, 3); anything else is an error that says what is expected."""
    found = _SPEC.fullmatch(spec.strip())
    if found is None or not 1 <= int(found.group(1)) <= int(found.group(2)):
        raise IlpError(f"--shard {spec}: expected I/N with 1 <= I <= N, such as --shard 1/4")
    return int(found.group(1)), int(found.group(2))


def in_shard(student_id: str, shard: tuple[int, int]) -> bool:
    number, count = shard
    value = int.from_bytes(hashlib.sha256(f"ilp-shard\0{student_id}".encode()).digest()[:8], "big")
    return value % count == number - 1


INPUTS = ("mkdocs.yml", "students", "graduates", "curriculum", "content", "locales")


def district_fingerprint(root: Path) -> str:
    """What the district's files and history are now: every input file's bytes and the commit checked out.
    Shards and their merge must agree on it (the same commit, no other change)."""
    digest = hashlib.sha256()
    for name in INPUTS:
        top = root / name
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else []
        for path in paths:
            if ".git" in path.relative_to(root).parts:
                continue
            digest.update(
                path.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest()
            )
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=False, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        head = ""
    digest.update(head.encode())
    return digest.hexdigest()


def write_marker(folder: Path, shard: tuple[int, int], build: str, today: str, summaries: list[Any]) -> None:
    """The part's marker: which part of which build, and its students' summaries (generator/render/listing.py),
    from which the merge makes the start pages."""
    data = {
        "shard": list(shard),
        "build": build,
        "today": today,
        "students": sorted(s.id for s in summaries),
        "summaries": [s.as_json() for s in sorted(summaries, key=lambda s: s.id)],
    }
    (folder / MARKER).write_text(json.dumps(data, sort_keys=True) + "\n", encoding="utf-8")


def check_parts(folders: list[Path], build: str, today: str) -> list[tuple[Path, list[Any]]]:
    """The shard folders in part order, with their students' summaries (as JSON), once each check passes;
    else an error naming the folder and why."""
    parts: dict[int, Path] = {}
    carried: dict[Path, list[Any]] = {}
    count = None
    for folder in folders:
        try:
            data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
            number, total = (int(x) for x in data["shard"])
            same = data["build"] == build and data["today"] == today
            carried[folder] = list(data["summaries"])
        except (OSError, ValueError, KeyError, TypeError):
            raise IlpError(f"{folder}: not the output of ilp build --shard I/N (no readable {MARKER})") from None
        if not same:
            raise IlpError(
                f"{folder}: this shard was built from other files, another version of ilp or another date; "
                "build every shard and the merge from the same commit with the same --today"
            )
        if count is not None and total != count:
            raise IlpError(f"{folder}: shard {number}/{total} does not belong with shards of {count}")
        if number in parts:
            raise IlpError(f"{folder}: shard {number}/{total} is given twice (also {parts[number]})")
        count = total
        parts[number] = folder
    missing = [str(n) for n in range(1, (count or 0) + 1) if n not in parts]
    if missing or not parts:
        raise IlpError(
            f"--merge: shard {', '.join(missing) or '1'} of {count or 'N'} is missing; give every shard's folder"
        )
    return [(parts[n], carried[parts[n]]) for n in sorted(parts)]


def copy_in(shard: Path, staging: Path, left_out: Collection[str] = ()) -> None:
    """Every file of a shard (but its marker, and the site folders `left_out`: students the merge refused)
    into the staging folder, hard-linked where the disk allows."""
    for path in sorted(shard.rglob("*")):
        rel = path.relative_to(shard)
        if rel.as_posix() == MARKER or path.is_dir() or path.is_symlink():
            continue
        if any(rel.as_posix().startswith(f"{dest}/") for dest in left_out):
            continue
        target = staging / rel
        if target.exists():
            raise IlpError(f"{shard}: {rel.as_posix()} is also in another part; rebuild the shards")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
