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

import contextlib
import hashlib
import os
import stat
import time
from pathlib import Path
from typing import Any

from generator.config import Options

_CHUNK = 1 << 20
RACY_NS = 2_000_000_000  # a file changed this close to the last reading may have changed after it, unseen


class Known:
    """The hashes of a student's files as the last build read them, by the lstat they had then (size,
    mtime, inode, ctime), as git's index keeps them: a file whose lstat is the same, and that had not
    changed for `RACY_NS` before that reading (`since`, in ns), is not read again. What was read or
    trusted now is `now()`, for the cache to keep: one line a file, `name<TAB>size mtime inode ctime hash`
    (a name with a tab or a line break in it is never recorded: such a file is read every time)."""

    def __init__(self, last: Any, since: int) -> None:
        self.last: dict[str, str] = {}
        if isinstance(last, str):
            for line in last.split("\n"):
                rel, _, rest = line.partition("\t")
                self.last[rel] = rest
        self.since = since
        self.lines: list[str] = []
        self.read = 0  # files read now (not trusted from the last reading)

    def now(self) -> str:
        return "\n".join(self.lines)

    def digest(self, path: str, rel: str, info: os.stat_result) -> bytes:
        stamp = f"{info.st_size} {info.st_mtime_ns} {info.st_ino} {info.st_ctime_ns}"
        old = self.last.get(rel, "")
        found = None
        settled = max(info.st_mtime_ns, info.st_ctime_ns) < self.since - RACY_NS
        if settled and old.startswith(stamp + " ") and len(old) == len(stamp) + 65:
            with contextlib.suppress(ValueError):
                found = bytes.fromhex(old[-64:])
        if found is None:
            self.read += 1
            found = _file(path, (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns))
            if found is None:
                return _never_again()
        if "\t" not in rel and "\n" not in rel:
            self.lines.append(f"{rel}\t{stamp} {found.hex()}")
        return found


def _never_again() -> bytes:
    return f"unreadable-{time.time_ns()}-{os.getpid()}".encode()


def _file(path: str, stamp: tuple[int, int, int, int] | None = None) -> bytes | None:
    """The hash of a file's bytes (None if it cannot be read, or, given its `stamp`, if it changed while read)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(_CHUNK):
                digest.update(block)
            if stamp is not None:
                info = os.fstat(handle.fileno())
                if (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns) != stamp:
                    return None
    except OSError:
        return None
    return digest.digest()


def _tree(digest: Any, root: Path, rel: str, skip_top: tuple[str, ...] = (), known: Known | None = None) -> None:
    """Every entry under root/rel, by name, kind and content; links are named, never followed, but for
    root/rel itself: a link to a folder there (content/ or curriculum/ kept elsewhere) is read through, as
    the loaders read it."""
    base, depth = f"{root}/", rel.count("/") + 1
    if os.path.islink(base + rel) and os.path.isdir(base + rel):
        digest.update(f"{rel}\0linked folder\0{os.readlink(base + rel)}\0".encode())
        _folder(digest, base, rel, skip_top, depth, known)
        return
    _entry(digest, base, rel, skip_top, depth, known)


def _entry(digest: Any, base: str, rel: str, skip: tuple[str, ...], depth: int, known: Known | None) -> None:
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
        content = known.digest(path, rel, info) if known is not None else (_file(path) or _never_again())
        digest.update(f"{rel}\0file\0".encode() + content)
    elif not stat.S_ISDIR(info.st_mode):
        digest.update(f"{rel}\0other\0{stat.S_IFMT(info.st_mode)}\0".encode())
    else:
        _folder(digest, base, rel, skip, depth, known)


def _folder(digest: Any, base: str, rel: str, skip: tuple[str, ...], depth: int, known: Known | None) -> None:
    digest.update(f"{rel}\0folder\0".encode())
    try:
        names = sorted(os.listdir(base + rel))
    except OSError:
        digest.update(_never_again())
        return
    for name in names:
        if not (rel.count("/") + 1 == depth and name in skip):
            _entry(digest, base, f"{rel}/{name}", skip, depth, known)


def student(root: Path, name: str, known: Known | None = None) -> str:
    """The hash of everything in students/<name>/ (its own repository's .git aside); with `known`, a file
    whose lstat is the one recorded is not read again."""
    digest = hashlib.sha256(b"ilp-student-folder 1\0")
    _tree(digest, root, f"students/{name}", (".git",), known)
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


def content(root: Path) -> str:
    """The hash of content/, every name and byte: the district's pages and what they show."""
    digest = hashlib.sha256(b"ilp-content 1\0")
    _tree(digest, root, "content")
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
