"""The output folder: a staging folder beside it, shared assets and root pages, and the atomic swap.

Everything is written to `.<out>.building-<pid>` and renamed into place at the end, so a failed or
interrupted build leaves the previous site as it was. A site that works opened from disk
(`ilp export`) has its assets inside it, the search that reads its index from a script, and a 404
page that links its own start page as a file.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path

from generator.errors import IlpError
from generator.site.builder import lunr_js

PROTECTED = ("students", "curriculum", "content")
ROOT_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}</title>
<link rel="stylesheet" href="assets/ilp.css">
</head>
<body>
<main id="content" class="root-index">
{body}</main>
</body>
</html>
"""


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
def staging(out: Path) -> Iterator[Path]:
    """A fresh staging folder beside `out`, swapped into place when the block ends without an error."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder = out.parent / f".{out.name}.building-{os.getpid()}"
    try:
        yield folder
        _swap(folder, out)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _swap(staging_folder: Path, out: Path) -> None:
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.rename(out, old)
        os.rename(staging_folder, out)
        shutil.rmtree(old)
    else:
        os.rename(staging_folder, out)


def write_shared(folder: Path, theme_dir: Path, site_name: str, public: str) -> None:
    """The theme's assets (once for every site) and the root's start and 404 pages (no student's data)."""
    _write_assets(folder / "assets", theme_dir)
    (folder / "index.html").write_bytes(root_page(site_name, public))
    (folder / "404.html").write_bytes(
        root_page(site_name, public, "Page not found", "There is no page at this address.")
    )


def write_offline_shared(folder: Path, theme_dir: Path, site_name: str) -> None:
    """The assets of a site opened from disk (its search reads search/search_index.js) and its 404 page."""
    _write_assets(folder / "assets", theme_dir)
    (folder / "404.html").write_bytes(
        root_page(site_name, "", "Page not found", "There is no page at this address.", home="index.html")
    )


def _write_assets(assets: Path, theme_dir: Path) -> Path:
    assets.mkdir(parents=True)
    for file in sorted((theme_dir / "assets").iterdir()):
        shutil.copyfile(file, assets / file.name)
    (assets / "lunr.js").write_bytes(lunr_js())
    return assets


def root_page(site_name: str, public: str, heading: str = "", message: str = "", home: str = "/") -> bytes:
    """The output root's index.html (or, with a heading, its 404.html, linking `home`)."""
    name = escape(site_name)
    if heading:
        body = (
            f'<h1>{escape(heading)}</h1>\n<p>{escape(message)} <a href="{escape(home)}">Go to the start page</a>.</p>\n'
        )
    else:
        body = f'<h1>{name}</h1>\n<p><a href="{escape(public)}/">Go to the district\'s ILP pages</a>.</p>\n'
    return ROOT_PAGE.format(name=name, body=body).encode()
