"""The output folder: a staging folder beside it, shared assets and root pages, and the atomic swap; and
the one shell of the generator's own pages (`html_page`: the root's pages and `ilp serve`'s problem page).

Everything is written to `.<out>.building-<pid>` and renamed into place at the end, so a failed or
interrupted build leaves the previous site as it was. A site that works opened from disk
(`ilp export`) has its assets inside it, the search that reads its index from a script, and a 404
page that links its own start page as a file.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from html import escape
from pathlib import Path

from generator import i18n
from generator.config import Options, Roles
from generator.errors import IlpError
from generator.i18n import _
from generator.site import moving

PROTECTED = ("students", "curriculum", "content")
SHELL = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{meta}<title>{title}</title>
<link rel="stylesheet" href="{css}">
</head>
<body{attrs}>
{body}</body>
</html>
"""


def html_page(
    title: str, body: str, css: str, meta: tuple[tuple[str, str], ...], body_class: str | None = None
) -> bytes:
    """A page of the generator's own (the root's start and 404 pages, the preview's problem page): `body`
    is HTML as it is, `title`, `css` and the `<meta name content>` pairs of `meta` are escaped here."""
    return SHELL.format(
        lang=escape(i18n.code()),
        meta="".join(f'<meta name="{escape(name)}" content="{escape(value)}">\n' for name, value in meta),
        title=escape(title),
        css=escape(css),
        attrs="" if body_class is None else f' class="{escape(body_class)}"',
        body=body,
    ).encode("utf-8")


def _root_page(title: str, body: str, css: str) -> bytes:
    """A page of the output root: for everyone, and it sends no referrer."""
    return html_page(title, body, css, (("referrer", "no-referrer"),), "audience-public")


def check_output(root: Path, out: Path) -> None:
    """Refuse an output folder that is, or is inside, or holds, the content folders."""
    resolved, base = out.resolve(), root.resolve()
    for name in PROTECTED:
        folder = (base / name).resolve()
        if resolved == folder or resolved.is_relative_to(folder) or folder.is_relative_to(resolved):
            raise IlpError(f"--out {out} would write into {name}/; choose a folder such as site/")
    if resolved == base or base.is_relative_to(resolved):
        raise IlpError(f"--out {out} is the repository itself; choose a folder such as site/")


@contextmanager
def staging(out: Path, moves: Callable[[], list[str]] | None = None) -> Iterator[Path]:
    """A fresh staging folder beside `out`, swapped into place when the block ends without an error;
    the kept site folders `moves` names are moved into it from `out` just before (generator/site/moving.py)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in sorted(out.parent.glob(f".{out.name}.*-*")):
        pid = stale.name.rsplit("-", 1)[-1].removesuffix(".json")
        if not _running(pid):  # a build still at work keeps its folders
            moving.recover(out, pid)
    for kind in ("building", "old"):
        for stale in out.parent.glob(f".{out.name}.{kind}-*"):
            if not _running(stale.name.rsplit("-", 1)[-1]):
                shutil.rmtree(stale, ignore_errors=True)
    folder = out.parent / f".{out.name}.building-{os.getpid()}"
    moved: list[str] = []
    try:
        yield folder
        with moving.signals_deferred():
            moved = moves() if moves is not None else []
            moving.move_in(out, folder, moved)
            _swap(folder, out)
            moving.done(out)
    except BaseException:
        if folder.is_dir():
            moving.put_back(out, folder, moved)
        moving.done(out)
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _running(pid: str) -> bool:
    """Whether the process `pid` (a staging folder's suffix) still runs on this machine."""
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, under another user
    return True


def _swap(staging_folder: Path, out: Path) -> None:
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.rename(out, old)
        os.rename(staging_folder, out)
        delete(old)
    else:
        os.rename(staging_folder, out)


def delete(folder: Path, threads: int = 4) -> None:
    """Remove a folder of many files, its subfolders' subfolders by several threads at once (the system's
    unlinking is most of the time, and runs outside the GIL): a district's previous output is 82,000
    files for 1,000 students. Links are removed, never followed."""
    parts: list[str] = []
    with contextlib.suppress(OSError), os.scandir(folder) as tops:
        for top in tops:
            if top.is_dir(follow_symlinks=False):
                with os.scandir(top.path) as entries:
                    parts += [entry.path for entry in entries if entry.is_dir(follow_symlinks=False)]
    if len(parts) > 1:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(shutil.rmtree, parts))
    shutil.rmtree(folder)


def write_shared(
    folder: Path,
    theme_dir: Path,
    options: Options,
    file_urls: bool = False,
    lang: i18n.Language | None = None,
    sites: Collection[str] | None = None,
) -> None:
    """The theme's assets (once for every site) and the root's start and 404 pages (no student's data).

    With `file_urls` (`use_directory_urls: false`) their links name files, so they work opened from disk.
    `sites`: the folders of the sites the output will hold (some may be moved in later); by default, the
    sites already in `folder`.
    """
    _write_assets(folder / "assets", theme_dir)
    with i18n.language(lang or i18n.current()):
        (folder / "index.html").write_bytes(root_page(options, folder, file_urls, sites))
        home, css = ("index.html", "assets/ilp.css") if file_urls else ("/", "/assets/ilp.css")
        (folder / "404.html").write_bytes(not_found_page(options.site_name, home, css))


def write_offline_shared(folder: Path, theme_dir: Path, site_name: str) -> None:
    """The assets of a site opened from disk (its search reads search/search_index.js) and its 404 page."""
    _write_assets(folder / "assets", theme_dir)
    (folder / "404.html").write_bytes(not_found_page(site_name, "index.html", "assets/ilp.css"))


def shared_names(theme_dir: Path) -> frozenset[str]:
    """The files `write_shared` writes, from the output root: what links from the sites may name."""
    assets = {f"assets/{file.name}" for file in (theme_dir / "assets").iterdir()} | {"assets/lunr.js"}
    return frozenset({"index.html", "404.html", *assets})


def _write_assets(assets: Path, theme_dir: Path) -> Path:
    assets.mkdir(parents=True)
    for file in sorted((theme_dir / "assets").iterdir()):
        shutil.copyfile(file, assets / file.name)
    (assets / "lunr.js").write_bytes(lunr_js())
    return assets


def not_found_page(site_name: str, home: str, css: str) -> bytes:
    """The 404 page: what happened, and the way to the start page at `home`."""
    body = (
        f'<main id="content" class="root-index">\n<h1>{escape(_("Page not found"))}</h1>\n'
        f"<p>{escape(_('There is no page at this address.'))} "
        f'<a href="{escape(home)}">{escape(_("Go to the start page"))}</a>.</p>\n</main>\n'
    )
    title = _("Page not found · {site}").format(site=site_name)
    return _root_page(title, body, css)


def root_page(options: Options, folder: Path, file_urls: bool = False, sites: Collection[str] | None = None) -> bytes:
    """The output root's index.html: the district's start page, for everyone.

    It links the public pages and lessons that were built (into `folder`, or named in `sites`), and says where each reader
    finds a portfolio. It never lists or names a student: the root is public, and every portfolio is
    behind its readers' sign-in (or a family link).
    """
    roles = Roles(options)
    name = escape(options.site_name)

    def link(path: str) -> str | None:
        """The link to the site at `path` (from the root), if it was built."""
        if not (path in sites if sites is not None else (folder / path / "index.html").is_file()):
            return None
        return f"{path}/index.html" if file_urls else f"{path}/"

    everyone = [
        (link(roles.public), _("The district's ILP pages"), _("what an ILP is, and how students and families use it")),
        (link(f"{roles.public}/curriculum"), _("ILP lessons"), _("the lessons for every grade, as students see them")),
    ]
    items = "".join(
        f'<li><a href="{escape(url)}">{escape(text)}</a>: {escape(note)}</li>\n' for url, text, note in everyone if url
    )
    body = [
        f'<a class="skip-link" href="#content">{escape(_("Skip to content"))}</a>',
        f'<header class="site-header"><div class="site-header__inner"><p class="site-title">{name}</p></div></header>',
        '<main id="content" class="root-index" tabindex="-1">',
        f"<h1>{escape(_('Individual Learning Plans'))}</h1>",
        "<p>"
        + escape(
            _(
                "{district} keeps each student's Individual Learning Plan (ILP): their goals, plans and the work "
                "behind them."
            ).format(district=options.site_name)
        )
        + "</p>",
    ]
    if items:
        body += [f"<h2>{escape(_('For everyone'))}</h2>", f"<ul>\n{items}</ul>"]
    body += [
        f"<h2>{escape(_('Where to find a portfolio'))}</h2>",
        "<p>"
        + escape(
            _(
                "No portfolio is listed on this page. Each one is shown only to the people its student shares it "
                "with, who sign in with their school or district account to open it:"
            )
        )
        + "</p>",
        "<dl>",
        *_where(options, roles),
        "</dl>",
        "</main>",
    ]
    return _root_page(options.site_name, "\n".join(body) + "\n", "assets/ilp.css")


def _where(options: Options, roles: Roles) -> list[str]:
    """Where each reader finds what they may read: a pattern of addresses, never a student's."""

    def code(path: str) -> str:
        return f"<code>{escape(path)}</code>"

    found = [
        (
            _("Students"),
            _("Your own ILP is at {address}, where {id} is the name of your folder in the district's ILP files."),
            {"address": code(f"{roles.student}/<id>/"), "id": code("<id>")},
        ),
    ]
    if "family" in options.audiences:
        found.append(
            (
                _("Families"),
                _(
                    "Your family's start page, at the address the school sends you ({address}), lists your "
                    "children's portfolios. A student can also send you a family link, which opens without signing in."
                ),
                {"address": code("family/_…/")},
            )
        )
    found.append(
        (
            _("Educators"),
            _(
                "Your dashboard, at {address}, lists the students you serve; the lessons with facilitator notes are at {lessons}."
            ),
            {"address": code(f"{roles.educator}/_<id>/"), "lessons": code(f"{roles.educator}/curriculum/")},
        )
    )
    if "advisory" in options.audiences:
        found.append(
            (
                _("Advisory groups"),
                _(
                    "Your group's page, at the address your advisor gives you ({address}), lists what each member shares with the group."
                ),
                {"address": code("advisory/_…/")},
            )
        )
    return [f"<dt>{escape(term)}</dt><dd>{escape(text).format(**values)}</dd>" for term, text, values in found]


def lunr_js() -> bytes:
    """MkDocs' own copy of lunr.js, for the shared search assets (found without importing MkDocs: a build
    that keeps every site never needs it).

    MkDocs has no public way to name this file: it lies in the search plugin's templates. If a
    MkDocs release moves it, tests/test_site.py fails.
    """
    spec = importlib.util.find_spec("mkdocs.contrib.search")
    if spec is None or spec.origin is None:
        raise IlpError("MkDocs' search plugin is not installed: reinstall mkdocs")
    return (Path(spec.origin).parent / "templates" / "search" / "lunr.js").read_bytes()
