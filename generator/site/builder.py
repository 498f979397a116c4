"""Stage 6: pages -> MkDocs build. The only module that imports MkDocs internals.

One `SiteBuilder` sets up the MkDocs configuration, the theme's Jinja
environment and the plugins once, then builds any number of sites in this
process: each site's pages are MkDocs files generated in memory; the `ilp`
plugin gives each page the HTML that generator.markdown renders from what the
audience may see (MkDocs' own Markdown step gets an empty page), rewrites its
links as MkDocs would, sanitizes it, and MkDocs writes it through the theme. The theme's static files are not copied into sites: the
pipeline writes them once to `<out>/assets/`.
"""

from __future__ import annotations

import logging
import posixpath
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.markdown.document import Document, parse
from generator.markdown.html import TocEntry, render_documents
from generator.sanitize import clean_html, site_url_ok, source_target

THEME_DIR = Path(__file__).resolve().parents[2] / "theme"


@dataclass(frozen=True)
class SitePage:
    """One page: Markdown the generator wrote, then (optionally) a student's document as one audience sees it.

    `html`, when given, is the page's ready content (the conference deck) instead.
    """

    path: str  # the page's source path in the site, such as "goals.md"
    markdown: str = ""
    body: Document | None = None
    html: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # such as title and template


@dataclass(frozen=True)
class SiteFile:
    path: str  # such as "artifacts/chart.svg"
    content: bytes


@dataclass(frozen=True)
class Site:
    """One site to build: where it goes, its pages, its navigation and how it presents itself."""

    dest: str  # relative to the output root, such as "family/ava"
    title: str
    audience: str
    pages: tuple[SitePage, ...]
    nav: list[Any]
    files: tuple[SiteFile, ...] = ()
    view_label: str = ""
    view_note: str = ""
    noindex: bool = True
    link_roots: tuple[str, ...] = ()  # besides the site itself, where its links may lead (from the output root)
    extra: dict[str, Any] = field(default_factory=dict)


class _IlpPluginConfig(Config):
    framework = c.Type(str, default="curriculum/framework.yml")
    roster = c.Type(str, default="students/roster.yml")
    reference = c.Type(str, default="curriculum/reference")
    audiences = c.ListOfItems(c.Type(str), default=["student", "educator", "family", "advisory", "public"])
    full_access = c.ListOfItems(c.Type(str), default=["student", "educator"])
    everyone = c.Type(str, default="public")
    conference = c.Type(str, default="family")
    schema_base = c.Type(str, default="generator/schemas")
    as_of = c.Optional(c.Type(str))
    site_url = c.Optional(c.Type(str))


class IlpPlugin(BasePlugin[_IlpPluginConfig]):
    """The `ilp` MkDocs plugin: holds the generator's options in mkdocs.yml and sanitizes every page.

    `ilp build` does the building; this hook keeps student HTML safe in every site it builds.
    """

    def __init__(self) -> None:
        super().__init__()
        self.site: Site | None = None
        self.pages: dict[str, SitePage] = {}  # the site being built, by source path

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        site_page = self.pages.get(page.file.src_uri)
        if site_page is not None:
            page.meta.update(site_page.meta)
        return ""  # the page's HTML comes from our own parser, in on_page_content

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        site = self.site
        site_page = self.pages.get(page.file.src_uri)
        if site is None or site_page is None:
            return clean_html(html)
        src_dir = posixpath.dirname(page.file.src_uri)
        page_dir = posixpath.dirname(page.file.dest_uri) or "."
        site_files = frozenset(f.dest_uri for f in files)

        def rewrite(url: str) -> str | None:
            """The URL as the built page needs it (a file of the site as MkDocs links it: page.md -> page/),
            or None where it leads nowhere the reader may go."""
            target = source_target(url, src_dir)
            linked = files.get_file_from_path(target) if target is not None else None
            if linked is not None:
                fragment = url.partition("#")[2]
                url = linked.url_relative_to(page.file) + (f"#{fragment}" if fragment else "")
            return url if site_url_ok(url, page_dir, site_files, site.dest, site.link_roots) else None

        toc: tuple[TocEntry, ...] = ()
        if site_page.html is not None:
            content = site_page.html
        else:
            docs = [parse(site_page.markdown)] if site_page.markdown else []
            docs += [site_page.body] if site_page.body is not None else []
            rendered = render_documents(docs, lambda url, image: rewrite(url) is not None)
            content, toc = rendered.html, rendered.toc
        page.toc = get_toc(_toc_tokens(toc))
        return clean_html(content, rewrite)


class SiteBuilder:
    """Builds many sites in one process, with one configuration and one theme environment."""

    def __init__(self, site_name: str, theme_dir: Path = THEME_DIR) -> None:
        self._scratch = Path(tempfile.mkdtemp(prefix="ilp-docs-"))
        (self._scratch / "docs").mkdir()
        config = MkDocsConfig()
        config.load_dict(
            {
                "site_name": site_name,
                "docs_dir": str(self._scratch / "docs"),
                "site_dir": str(self._scratch / "site"),
                "theme": {
                    "name": None,
                    "custom_dir": str(theme_dir),
                    "search_index_only": True,
                    "static_templates": [],
                    "locale": "en",
                },
                "plugins": ["search"],
                "markdown_extensions": [],  # pages are rendered by generator.markdown, not Python-Markdown
                "use_directory_urls": True,
                "validation": {
                    "nav": {"omitted_files": "ignore", "not_found": "ignore", "absolute_links": "ignore"},
                    "links": {
                        "not_found": "ignore",
                        "absolute_links": "ignore",
                        "unrecognized_links": "ignore",
                        "anchors": "ignore",
                    },
                },
            }
        )
        errors, _ = config.validate()
        if errors:
            raise RuntimeError(f"MkDocs configuration: {errors}")
        self.plugin = IlpPlugin()
        config.plugins["ilp"] = self.plugin
        self.config = config.plugins.on_config(config)
        self.env = self.config.theme.get_env()
        self.theme_dir = theme_dir

    def close(self) -> None:
        shutil.rmtree(self._scratch, ignore_errors=True)

    def build(self, site: Site, site_dir: Path) -> int:
        """Write `site` into `site_dir`; the number of pages written."""
        config = self.config
        config.site_dir = str(site_dir)
        config.site_name = site.title
        config.nav = site.nav
        depth = len(Path(site.dest).parts)
        config.extra = {  # type: ignore[assignment]  # MkDocs reads extra as a plain mapping
            **site.extra,
            "audience": site.audience,
            "view_label": site.view_label,
            "view_note": site.view_note,
            "noindex": site.noindex,
            "assets": "/".join([".."] * depth + ["assets"]),
        }
        self.plugin.site = site
        self.plugin.pages = {p.path: p for p in site.pages}
        try:
            config.plugins.on_pre_build(config=config)
            files = Files(
                [File.generated(config, p.path, content="") for p in site.pages]
                + [File.generated(config, f.path, content=f.content) for f in site.files]
            )
            nav = get_navigation(files, config)
            pages = files.documentation_pages()
            for file in pages:
                if file.page is None:
                    Page(None, file, config)
                assert file.page is not None  # set just above: MkDocs' Page registers itself on its file
                _populate_page(file.page, config, files)
            files.copy_static_files()
            for file in pages:
                assert file.page is not None
                _build_page(file.page, config, pages, nav, self.env)
            config.plugins.on_post_build(config=config)
        finally:
            self.plugin.site = None
            self.plugin.pages = {}
        return len(pages)


def _toc_tokens(entries: tuple[TocEntry, ...]) -> list[Any]:
    """Our table of contents in the shape MkDocs' get_toc reads (nested by level; names are HTML)."""
    roots: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for entry in entries:
        item = {"level": entry.level, "id": entry.ident, "name": escape(entry.title, quote=False), "children": []}
        while stack and stack[-1]["level"] >= entry.level:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(item)
        stack.append(item)
    return roots


@contextmanager
def site_builder(site_name: str, theme_dir: Path = THEME_DIR) -> Iterator[SiteBuilder]:
    builder = SiteBuilder(site_name, theme_dir)
    level = logging.getLogger("mkdocs").level
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        yield builder
    finally:
        logging.getLogger("mkdocs").setLevel(level)
        builder.close()


def lunr_js() -> bytes:
    """MkDocs' own copy of lunr.js, for the shared search assets."""
    from mkdocs.contrib import search

    return (Path(search.__file__).parent / "templates" / "search" / "lunr.js").read_bytes()
