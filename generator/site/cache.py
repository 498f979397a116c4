"""The build cache: which students and sites of the last build into an output folder can be kept as they are.

Two levels, both decided by keys that cover everything the output depends on:

- **A student** is not even loaded when their key is the one they had (generator/keeping.py: their
  folder's files, uncommitted changes included, the history that reaches their pages, the district's
  shared files, the build's key) and every file of their sites is still in the output as the build
  left it: their sites are taken as they are, and the start pages use their cached summary
  (generator/render/listing.py).
- **A site** of a student who was loaded again, or of the district, is kept when its key is the one
  it had: a hash of its whole description (every page's text, the student document it shows with the
  blocks this audience keeps, its navigation, files, language, banner) and of the build's own key (the
  generator's code, the theme, the district's catalogs, the options that change pages, the date, and,
  with file URLs, every file the sites link to).

The cache is `<repository>/.ilp-cache/sites-<output>.json` (safe to delete; it ignores itself in git).
It holds hashes, file names (of the sites, and of each student's folder with the lstat each file had),
the commit built, and per student what the start pages list of them: never a page's text, a goal, or
anything a view leaves out. It names the output folder it describes;
a site is taken from that folder (hard-linked, else copied) only if every file it had is still there,
with the size and time the build left. It is written after the new output is in place, so an
interrupted build never leaves it pointing at files that are not there. Anything unreadable in it is
ignored: a full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import resources
from generator.markdown.document import Document
from generator.model.site import Site
from generator.site import libraries

CACHE_DIR = ".ilp-cache"
CACHE_FILE = "sites-{out}.json"  # one per output folder (`ilp build`'s, `ilp serve`'s)
VERSION = 3
GENERATOR = resources.PACKAGE


@dataclass(frozen=True)
class Student:
    """One student as the last build made them: the key of everything their sites were made from
    (generator/keeping.py), the history token in it (generator/history/heads.py), their summary
    (generator/render/listing.py, as JSON) and the folders of their sites."""

    key: str
    token: str
    summary: dict[str, Any]
    sites: tuple[str, ...]
    files: Any = None  # the hashes of their folder's files by lstat (generator/load/fingerprint.py `Known`)


@dataclass(frozen=True)
class Prior:
    """What the cache holds of the last build into an output folder (empty: nothing to keep)."""

    sites: dict[str, Entry] = field(default_factory=dict)
    students: dict[str, Student] = field(default_factory=dict)
    head: str | None = None  # the commit it was built from (heads.checked_out)
    starts: KeptGroup | None = None
    taken: int = 0  # when (ns) the students' files were looked at
    district: KeptGroup | None = None  # the district's own sites (its pages and the lessons)


@dataclass(frozen=True)
class KeptGroup:
    """Sites the last build made from one key, before describing them: the start pages (generator/keeping.py
    `Keeper.starts_key`: the district's files, the build's key, every student's summary) or the district's
    own sites (`Keeper.district_key`: the district's files, content/, the build's key), and their folders."""

    key: str
    sites: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One site as the last build wrote it."""

    key: str
    pages: int
    files: tuple[tuple[str, int, int], ...]  # (name relative to the site's folder, size, mtime_ns)


def _hash_files(digest: Any, folder: Path, suffixes: tuple[str, ...] | None = None) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and (suffixes is None or path.suffix in suffixes) and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())


def build_key(theme_dir: Path, district: Path, settings: dict[str, Any], shared: frozenset[str]) -> str:
    """What every site of a build depends on besides its own description (`shared`: the files beside
    every site, such as the assets and the start page)."""
    digest = hashlib.sha256(f"ilp-cache {VERSION} {sys.version_info[:2]} {libraries.versions()}".encode())
    _hash_files(digest, GENERATOR, (".py", ".json", ".po", ".pot", ".md", ".yml", ".j2", ".txt"))
    _hash_files(digest, theme_dir)
    _hash_files(digest, district / "locales")
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    for name in sorted(shared):
        digest.update(name.encode() + b"\0")
    return digest.hexdigest()


# The libraries whose versions the pages depend on: a site built with another version is not kept.
def link_scopes(known: frozenset[str]) -> dict[str, str]:
    """With file URLs, a link names a file only if the file is there: for every folder, a hash of the
    files under it, so that a site's key covers exactly the files its links may name (its own folder
    and its `link_roots`), and a page added elsewhere changes no other site."""
    under: dict[str, list[str]] = {}
    for name in known:
        parts = name.split("/")
        for depth in range(1, len(parts)):
            under.setdefault("/".join(parts[:depth]), []).append(name)
    return {folder: hashlib.sha256("\0".join(sorted(names)).encode()).hexdigest() for folder, names in under.items()}


def scope_of(site: Site, scopes: dict[str, str]) -> str:
    """The part of `link_scopes` that one site's links depend on."""
    return ",".join(scopes.get(folder, "-") for folder in (site.dest, *site.link_roots))


def _document(doc: Document) -> str:
    """A fingerprint of what a document holds for this view: the tokens it renders."""

    def compute() -> str:
        parts: list[Any] = [doc.path]
        stack = list(reversed(doc.tokens_for_render()))
        while stack:
            token = stack.pop()
            attrs = sorted((str(k), str(v)) for k, v in token.attrs.items()) if token.attrs else ()
            parts.append((token.type, token.tag, token.nesting, token.content, token.info, token.markup, attrs))
            parts.append(token.map)
            if token.children:
                parts.append("[")
                stack.append(_CLOSE)
                stack.extend(reversed(token.children))
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    return doc.memo("cache-fingerprint", compute)


class _Close:
    type = tag = content = info = markup = ""
    nesting = 0
    attrs: dict[str, str] = {}  # noqa: RUF012 - a marker, never changed
    map = None
    children = None


_CLOSE: Any = _Close()


def site_key(site: Site, build: str, scope: str = "") -> str:
    """The key of one site: its whole description, the build's key and (file URLs) its links' scope."""
    digest = hashlib.sha256(f"{build}\0{scope}".encode())
    head = [
        site.dest,
        site.title,
        site.audience,
        site.nav,
        site.view_label,
        site.view_note,
        site.noindex,
        site.link_roots,
        site.extra,
        site.lang,
        site.text_lang,
    ]
    digest.update(json.dumps(head, sort_keys=True, default=str).encode())
    for page in site.pages:
        parts = [page.path, page.markdown, page.html, page.meta]
        digest.update(json.dumps(parts, sort_keys=True, default=str).encode())
        digest.update(_document(page.body).encode() if page.body is not None else b"-")
    for file in site.files:
        digest.update(file.path.encode() + b"\0" + hashlib.sha256(file.content).digest())
    return digest.hexdigest()


def _file(root: Path, out: Path) -> Path:
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
    return root / CACHE_DIR / CACHE_FILE.format(out=name)


def _folder(root: Path) -> Path | None:
    """The cache folder, unless it is something else than a folder of the repository (a link, a file)."""
    folder = root / CACHE_DIR
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return None
    return folder


# What makes a name leave its site, or name nothing: an empty, `.` or `..` part, a backslash, a NUL.
_UNSAFE = re.compile(r"(?:^|/)\.{0,2}(?:/|$)|[\\\x00]")


# The same, for names one to a line (a line break in a name only makes a name unsafe that was not).
_UNSAFE_LINE = re.compile(_UNSAFE.pattern, re.MULTILINE)


def _safe(name: str) -> bool:
    """A file name of a site: relative, inside it."""
    return isinstance(name, str) and _UNSAFE.search(name) is None


def _all_safe(names: list[str]) -> bool:
    """`_safe` for every name, in one search."""
    return not names or _UNSAFE_LINE.search("\n".join(names)) is None


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError(value)
    return value


def _number(value: Any) -> int:
    if type(value) is not int:
        raise TypeError(value)
    return value


def _files(listed: Any) -> tuple[tuple[str, int, int], ...]:
    """A site's files as the cache lists them ([name, size, mtime_ns] each), checked for their types."""
    files = tuple(map(tuple, listed))
    for name, size, mtime in files:  # three of each, or ValueError
        if type(name) is not str or type(size) is not int or type(mtime) is not int:
            raise TypeError(name)
    return files


def load(root: Path, out: Path, build: str) -> Prior:
    """What the last build into `out` with the same build key left (nothing if anything is off)."""
    if _folder(root) is None:
        return Prior()
    try:
        data = json.loads(_file(root, out).read_text(encoding="utf-8"))
        if data.get("version") != VERSION or data.get("out") != str(out.resolve()) or data.get("build") != build:
            return Prior()
        entries = {
            dest: Entry(_text(e["key"]), _number(e["pages"]), _files(e["files"])) for dest, e in data["sites"].items()
        }
        students = {
            str(name): Student(
                str(s["key"]), str(s["token"]), dict(s["summary"]), tuple(str(d) for d in s["sites"]), s.get("files")
            )
            for name, s in data["students"].items()
        }
        head = data["head"] if isinstance(data["head"], str) else None
        starts, district = _group(data.get("starts")), _group(data.get("district"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return Prior()
    if not all(_safe(dest) and _all_safe([f[0] for f in e.files]) for dest, e in entries.items()):
        return Prior()  # never trusted: a name that leaves its site
    if not all(_safe(name) and "/" not in name and all(d in entries for d in s.sites) for name, s in students.items()):
        return Prior()
    if not all(dest in entries for group in (starts, district) if group is not None for dest in group.sites):
        return Prior()
    taken = data.get("taken")
    return Prior(entries, students, head, starts, taken if type(taken) is int else 0, district)


def _group(data: Any) -> KeptGroup | None:
    return KeptGroup(_text(data["key"]), tuple(map(_text, data["sites"]))) if data is not None else None


def stats(site_dir: Path, names: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Each file a site wrote, with the size and time the cache checks it by."""
    found = []
    for name in names:
        info = (site_dir / name).stat()
        found.append((name, info.st_size, info.st_mtime_ns))
    return tuple(found)


def save(
    root: Path,
    out: Path,
    build: str,
    entries: dict[str, Entry],
    students: dict[str, Student],
    head: str | None,
    starts: KeptGroup | None = None,
    taken: int = 0,
    district: KeptGroup | None = None,
) -> None:
    """Record the sites now in `out` (after it was swapped into place); written whole or not at all."""
    folder = _folder(root)
    if folder is None:
        return
    try:
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("# ilp build's cache: safe to delete\n*\n", encoding="utf-8")
        data = {
            "version": VERSION,
            "out": str(out.resolve()),
            "build": build,
            "sites": {dest: {"key": e.key, "pages": e.pages, "files": e.files} for dest, e in sorted(entries.items())},
            "students": {
                name: {"key": s.key, "token": s.token, "summary": s.summary, "sites": list(s.sites), "files": s.files}
                for name, s in sorted(students.items())
            },
            "head": head,
            "starts": {"key": starts.key, "sites": list(starts.sites)} if starts is not None else None,
            "taken": taken,
            "district": {"key": district.key, "sites": list(district.sites)} if district is not None else None,
        }
        target = _file(root, out)
        temporary = target.with_name(f"{target.name}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # its owner's only
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, separators=(",", ":")))
        os.replace(temporary, target)
    except OSError:
        pass  # no cache: the next build is a full one


@contextlib.contextmanager
def locked(root: Path, out: Path) -> Iterator[None]:
    """One cached build into `out` at a time: a second waits for the first (it keeps what the first left),
    so no build moves or links a site another is replacing. Where the system has no file locks, or the
    cache folder is not a folder of the repository, builds are not kept apart (and keep nothing)."""
    folder = _folder(root)
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    if folder is None:
        yield
        return
    try:
        folder.mkdir(exist_ok=True)
        name = folder / f"lock-{_file(root, out).stem.removeprefix('sites-')}"
        handle = os.fdopen(os.open(name, os.O_RDWR | os.O_CREAT, 0o600), "r+")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def forget(root: Path, out: Path) -> None:
    """Drop the cache of the builds into `out` (before a build replaces it; a preview's, when it stops)."""
    if _folder(root) is None:
        return
    with contextlib.suppress(OSError):
        _file(root, out).unlink(missing_ok=True)


def intact(entry: Entry, out: Path, dest: str) -> bool:
    """Whether every file the site had in `out` is still there as the build left it (size and time)."""
    base, lstat, regular = f"{out / dest}/", os.lstat, stat.S_ISREG
    for name, size, mtime in entry.files:  # a regular file (no link) of that size and time: one lstat
        try:
            info = lstat(base + name)
        except (OSError, ValueError):  # ValueError: a name no file can have (a NUL, a lone surrogate)
            return False
        if info.st_size != size or info.st_mtime_ns != mtime or not regular(info.st_mode):
            return False
    return True


def reuse(entry: Entry, out: Path, site_dir: Path, dest: str, checked: bool = False) -> bool:
    """Put the files the site had in `out` into `site_dir`; False (the caller builds the site) if any of
    them is gone or is not as the build left it (its size or time changed; `checked`: `intact` said so)."""
    source = out / dest
    if not checked and not intact(entry, out, dest):
        return False
    made: set[Path] = set()
    for name, _size, _mtime in entry.files:
        target = site_dir / name
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(source / name, target)
        except OSError:
            shutil.copy2(source / name, target)
    return True
