"""The build cache: which sites of the last build into an output folder can be kept as they are.

A site is kept when its key is the one it had: a hash of its whole description (every page's text,
the student document it shows with the blocks this audience keeps, its navigation, files, language,
banner) and of the build's own key (the generator's code, the theme, the district's catalogs, the
options that change pages, and, with file URLs, every file the sites link to). Whatever a site's
pages depend on (a student's files, the roster, the framework, the lessons, the date, the history)
reaches its description, so a change of any of them changes the key: nothing stale is served.

The cache is `<repository>/.ilp-cache/sites-<output>.json` (safe to delete; it ignores itself in git) and
holds hashes and file names only, never a page's text. It names the output folder it describes;
a site is taken from that folder (hard-linked, else copied) only if every file it had is still
there. It is written after the new output is in place, so an interrupted build never leaves it
pointing at files that are not there. Anything unreadable in it is ignored: a full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import resources
from generator.markdown.document import Document
from generator.model.site import Site

CACHE_DIR = ".ilp-cache"
CACHE_FILE = "sites-{out}.json"  # one per output folder (`ilp build`'s, `ilp serve`'s)
VERSION = 1
GENERATOR = resources.PACKAGE


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
    digest = hashlib.sha256(f"ilp-cache {VERSION} {sys.version_info[:2]}".encode())
    _hash_files(digest, GENERATOR, (".py", ".json", ".po", ".pot", ".md", ".yml", ".j2", ".txt"))
    _hash_files(digest, theme_dir)
    _hash_files(digest, district / "locales")
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    for name in sorted(shared):
        digest.update(name.encode() + b"\0")
    return digest.hexdigest()


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
        digest = hashlib.sha256(doc.path.encode())
        stack = list(reversed(doc.tokens_for_render()))
        while stack:
            token = stack.pop()
            attrs = sorted((str(k), str(v)) for k, v in (token.attrs or {}).items())
            digest.update(
                json.dumps(
                    [token.type, token.tag, token.nesting, token.content, token.info, token.markup, attrs, token.map]
                ).encode()
            )
            if token.children:
                digest.update(b"[")
                stack.append(_CLOSE)
                stack.extend(reversed(token.children))
        return digest.hexdigest()

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


def _safe(name: str) -> bool:
    """A file name of a site: relative, inside it."""
    parts = name.split("/")
    return (
        bool(name)
        and not name.startswith(("/", "\\"))
        and "\\" not in name
        and all(p not in ("", ".", "..") for p in parts)
    )


def load(root: Path, out: Path, build: str) -> dict[str, Entry]:
    """The entries of the last build into `out` with the same build key (none if anything is off)."""
    if _folder(root) is None:
        return {}
    try:
        data = json.loads(_file(root, out).read_text(encoding="utf-8"))
        if data.get("version") != VERSION or data.get("out") != str(out.resolve()) or data.get("build") != build:
            return {}
        entries = {
            str(dest): Entry(
                str(e["key"]), int(e["pages"]), tuple((str(f[0]), int(f[1]), int(f[2])) for f in e["files"])
            )
            for dest, e in data["sites"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return {}
    if not all(_safe(dest) and all(_safe(f[0]) for f in e.files) for dest, e in entries.items()):
        return {}  # never trusted: a name that leaves its site
    return entries


def stats(site_dir: Path, names: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Each file a site wrote, with the size and time the cache checks it by."""
    found = []
    for name in names:
        info = (site_dir / name).stat()
        found.append((name, info.st_size, info.st_mtime_ns))
    return tuple(found)


def save(root: Path, out: Path, build: str, entries: dict[str, Entry]) -> None:
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
            "sites": {
                dest: {"key": e.key, "pages": e.pages, "files": [list(f) for f in e.files]}
                for dest, e in sorted(entries.items())
            },
        }
        target = _file(root, out)
        temporary = target.with_name(f"{target.name}.{os.getpid()}")
        temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        pass  # no cache: the next build is a full one


def forget(root: Path, out: Path) -> None:
    """Drop the cache of the builds into `out` (before a build replaces it; a preview's, when it stops)."""
    if _folder(root) is None:
        return
    with contextlib.suppress(OSError):
        _file(root, out).unlink(missing_ok=True)


def _unchanged(path: Path, size: int, mtime: int) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return path.is_file() and not path.is_symlink() and info.st_size == size and info.st_mtime_ns == mtime


def reuse(entry: Entry, out: Path, site_dir: Path, dest: str) -> bool:
    """Put the files the site had in `out` into `site_dir`; False (the caller builds the site) if any of
    them is gone or is not as the build left it (its size or time changed)."""
    source = out / dest
    if not all(_unchanged(source / name, size, mtime) for name, size, mtime in entry.files):
        return False
    for name, _size, _mtime in entry.files:
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source / name, target)
        except OSError:
            shutil.copy2(source / name, target)
    return True
