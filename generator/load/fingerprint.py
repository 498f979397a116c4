"""Stage 1 for the build cache: what a student's folder and the district's shared files hold now, as hashes.

`student(root, name)` hashes every name and every byte under students/<name>/ (uncommitted changes
included: it is the working tree that is built), following no link: a symlink counts by where it
points, a folder that cannot be read by a value that is never the same twice. `district(root,
options)` hashes what every student's pages are made with besides their folder: mkdocs.yml, the
framework, the reference data and the roster the options name, every file of curriculum/, the files
directly in students/, .gitmodules, and of content/ only the names that a student's public address
or a family's help link can meet (the district's pages themselves are built apart).
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path
from typing import Any

from generator.config import Options

_CHUNK = 1 << 20


def _never_again() -> bytes:
    return f"unreadable-{time.time_ns()}-{os.getpid()}".encode()


def _file(path: str) -> bytes:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(_CHUNK):
                digest.update(block)
    except OSError:
        return _never_again()
    return digest.digest()


def _tree(digest: Any, root: Path, rel: str, skip_top: tuple[str, ...] = ()) -> None:
    """Every entry under root/rel, by name, kind and content; links are named, never followed."""
    _entry(digest, f"{root}/", rel, skip_top, rel.count("/") + 1)


def _entry(digest: Any, base: str, rel: str, skip: tuple[str, ...], depth: int) -> None:
    path = base + rel
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        digest.update(f"{rel}\0absent\0".encode())
        return
    except OSError:
        digest.update(_never_again())
        return
    if stat.S_ISLNK(info.st_mode):
        digest.update(f"{rel}\0link\0{os.readlink(path)}\0".encode())
    elif stat.S_ISREG(info.st_mode):
        digest.update(f"{rel}\0file\0".encode() + _file(path))
    elif not stat.S_ISDIR(info.st_mode):
        digest.update(f"{rel}\0other\0{stat.S_IFMT(info.st_mode)}\0".encode())
    else:
        digest.update(f"{rel}\0folder\0".encode())
        try:
            names = sorted(os.listdir(path))
        except OSError:
            digest.update(_never_again())
            return
        for name in names:
            if not (rel.count("/") + 1 == depth and name in skip):
                _entry(digest, base, f"{rel}/{name}", skip, depth)


def student(root: Path, name: str) -> str:
    """The hash of everything in students/<name>/ (its own repository's .git aside)."""
    digest = hashlib.sha256(b"ilp-student-folder 1\0")
    _tree(digest, root, f"students/{name}", (".git",))
    return digest.hexdigest()


def district(root: Path, options: Options, help_pages: tuple[str, ...]) -> str:
    """The hash of the district's files that every student's sites are made with (with file URLs, also
    the name of every file in content/: a link from a family's page to a district page names its file)."""
    digest = hashlib.sha256(b"ilp-district-files 1\0")
    for rel in ("mkdocs.yml", ".gitmodules", options.framework, options.roster, options.reference, "curriculum"):
        _tree(digest, root, rel.strip("/"))
    students = root / "students"
    try:
        names = sorted(os.listdir(students)) if students.is_dir() else []
    except OSError:
        names = [_never_again().decode()]
    for name in names:
        if not (students / name).is_dir() or (students / name).is_symlink():
            _tree(digest, root, f"students/{name}")
    content = root / "content"
    tops = sorted({p.split("/")[0] for p in _names(content)}) if content.is_dir() else []
    digest.update(("\0".join(tops) + "\0|" + "\0".join(sorted(help_pages))).encode())
    if not options.use_directory_urls and content.is_dir():
        for folder, _dirs, files in sorted(os.walk(content)):
            digest.update(("\0".join([os.path.relpath(folder, content), *sorted(files)]) + "\n").encode())
    return digest.hexdigest()


def _names(folder: Path) -> list[str]:
    try:
        return [
            name.removesuffix(".md") if name.endswith(".md") else name
            for name in os.listdir(folder)
            if not name.startswith(".")
        ]
    except OSError:
        return [_never_again().decode()]
