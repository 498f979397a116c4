"""The `ilp` MkDocs plugin: thin adapters from MkDocs' events to our pages (the only MkDocs plugin code).

In `ilp build` each site gets its own plugin instance, holding that site's description: `on_files`
makes MkDocs' files from it, `on_env` hands MkDocs the theme environment compiled once, and each
page's HTML is what generator.markdown renders from what the audience may see (MkDocs' own Markdown
step gets an empty page), with its links rewritten as MkDocs would and sanitized. Under a plain
`mkdocs build` (no site description) the plugin only sanitizes what MkDocs rendered.

For a site that works opened from disk (`outside` given: the builder's `file_urls`), a link must
name a file: one of the site's own, or one of `outside` (from the output root). A link to a
folder names its `index.html`, or the `.html` file MkDocs wrote for a `page.md` linked as `page/`;
a link with a scheme (unless `keep_external`), or to anything else, is dropped (its text stays). The
links the theme and templates write (navigation, dashboard rows) are made to name files after the
page is rendered (`on_post_page`).

Its options in `mkdocs.yml` are the generator's options, named once in the config schema; the
generator validates them (with lines), so MkDocs accepts any value here.

A page MkDocs gets from the plugin is a `SuppliedPage` (made in `on_files`, titled as the navigation titles
it): its Markdown is empty, so MkDocs makes no Python-Markdown instance for it. The theme's navigation list is
made once per site (`NavList`, handed to main.html by `on_page_context`): only which items are active (the page,
its sections) and the links' relative URLs are worked out per page: byte for byte what the template's loop writes.

The site's search index is made from the same rendering (generator/site/search_index.py), in place of
MkDocs' search plugin, which would read every page's HTML again. A page whose text, student document
and language are those of a page rendered before (another audience's, mostly) is taken from the
builder's `RenderMemo` wherever every link on it is rewritten the same: rendered once, byte for byte
what rendering it again would give.
"""

from __future__ import annotations

import functools
import logging
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import unquote

from jinja2 import Environment
from markupsafe import escape as jinja_escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation
from mkdocs.structure.nav import Section as NavSection
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents, get_toc
from mkdocs.utils import normalize_url

from generator import i18n
from generator.config import OPTION_NAMES
from generator.markdown.document import parse
from generator.markdown.html import Oracle, RenderMemo, Same, Section, TocEntry, render_documents
from generator.model.site import Site, SitePage
from generator.sanitize import clean_html, site_url_ok, source_target
from generator.site import search_index

log = logging.getLogger("mkdocs.plugins.ilp")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')  # as our templates and the sanitizer write them

# MkDocs' view of the options: every name the config schema defines, any value (checked by `ilp check`).
IlpPluginConfig: type[Config] = type(
    "IlpPluginConfig", (Config,), {name: c.Optional(c.Type(object)) for name in OPTION_NAMES}
)


@dataclass(frozen=True)
class PageContent:
    """What a page's content is: its sanitized HTML, its table of contents and its words (for search)."""

    html: str
    toc: tuple[TocEntry, ...]
    sections: tuple[Section, ...]

    @functools.cached_property
    def page_toc(self) -> TableOfContents:
        """The table of contents as MkDocs gives it to a theme (made once for every page with this content)."""
        return get_toc(_toc_tokens(self.toc))


class IlpPlugin(BasePlugin):  # type: ignore[type-arg]  # its config class is made from the schema, above
    config_class = IlpPluginConfig

    def __init__(
        self,
        site: Site | None = None,
        env: Callable[[Environment], Environment] | None = None,
        outside: frozenset[str] | None = None,
        keep_external: bool = False,
        memo: RenderMemo[PageContent] | None = None,
    ) -> None:
        super().__init__()
        self.site = site
        self.pages: dict[str, SitePage] = {p.path: p for p in site.pages} if site else {}
        self._env = env
        self.outside = outside
        self.keep_external = keep_external  # with `outside`: links to other hosts stay (`ilp build`), or not (export)
        self.memo = memo if memo is not None else RenderMemo[PageContent]()
        self.written = 0
        self._sections: dict[str, tuple[Section, ...]] = {}  # by page source path, for the search index
        self._index: list[dict[str, str]] = []
        self._nav: tuple[Navigation, dict[str, NavList] | None] | None = None  # its lists by site language, or None
        self._links: tuple[Files, frozenset[str], frozenset[str] | None] | None = None  # for _rewriter
        self._known: frozenset[str] | None = None  # with `outside`: the files a link may name, from the output root
        self._file_links: dict[tuple[str, str], str | None] = {}  # (url, page folder) -> file_link's answer

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        site = self.site
        if site is None:
            return files
        made = Files(
            [File.generated(config, p.path, content="") for p in site.pages]
            + [File.generated(config, f.path, content=f.content) for f in site.files]
        )
        # Each page the navigation names once (or not at all) gets its page object here, with the title the
        # navigation gives it, as MkDocs would make it; MkDocs keeps a page a plugin made (File.page).
        titles = _nav_titles(config.nav)
        for page in site.pages:
            file = made.get_file_from_path(page.path)
            if file is not None and file.is_documentation_page() and len(titles.get(file.src_uri, [None])) == 1:
                SuppliedPage(titles.get(file.src_uri, [None])[0], file, config)
        return made

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """With file URLs, the links the theme and the templates wrote (navigation, dashboard rows) name files
        too: a folder link becomes its `index.html` or the page's `.html`; one that names no known file stays."""
        site, outside = self.site, self.outside
        if site is None or outside is None:
            return output
        if self._known is None:
            own = {posixpath.normpath(posixpath.join(site.dest, p.path)) for p in site.files}
            own |= {posixpath.normpath(posixpath.join(site.dest, html_name(p.path))) for p in site.pages}
            self._known = outside | own
        known, links = self._known, self._file_links
        page_dir = posixpath.normpath(posixpath.join(site.dest, posixpath.dirname(page.file.dest_uri)))

        def named(match: re.Match[str]) -> str:
            key = (match[2], page_dir)  # the same link from the same folder (the navigation's) names the same file
            if key not in links:
                links[key] = file_link(unescape(match[2]), page_dir, known)
            found = links[key]
            return match[0] if found is None else f"{match[1]}{escape(found)}{match[3]}"

        return _ATTRIBUTE.sub(named, output)

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        return self._env(env) if self._env is not None else env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        site_page = self.pages.get(page.file.src_uri)
        if site_page is None:
            return markdown
        page.meta.update(site_page.meta)
        return ""  # the page's HTML comes from our own parser, in on_page_content

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        site = self.site
        site_page = self.pages.get(page.file.src_uri)
        if site is None or site_page is None:
            return clean_html(html)
        self.written += 1
        if self._links is None or self._links[0] is not files:
            site_files = frozenset(f.dest_uri for f in files)
            known = None
            if self.outside is not None:
                known = self.outside | {posixpath.normpath(posixpath.join(site.dest, f)) for f in site_files}
            self._links = (files, site_files, known)
        rewrite = _rewriter(site, page, files, self._links[1], self._links[2], self.keep_external)
        # What a student wrote, in a site built in another language (a family's): marked with its own.
        lang = site.text_lang if site.text_lang and site.text_lang != site.lang else ""
        body = site_page.body
        key = (
            site_page.markdown,
            site_page.html,
            None if body is None else (Same(body.tokens), body.kept),
            lang if body is not None else "",
            i18n.current(),  # the sanitizer names tables in the page's language
        )
        content = self.memo.get(key, rewrite, lambda oracle: _content(site_page, lang, oracle))
        page.toc = content.page_toc
        self._sections[page.file.src_uri] = content.sections
        return content.html

    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        sections = self._sections.pop(page.file.src_uri, None)
        if sections is not None:
            self._index += search_index.entries(str(page.title or ""), page.url, sections)
        if self._nav is None or self._nav[0] is not nav:  # a new build (`mkdocs serve` builds again)
            self._nav = (nav, {}) if NavList.fits(nav) else (nav, None)
        lists = self._nav[1]
        if lists is None:
            return context  # the theme writes the list itself

        def nav_list(site_lang: str) -> str:
            """This page's navigation list, as main.html's loop writes it (made once per site and language)."""
            if site_lang not in lists:
                lists[site_lang] = NavList(nav, site_lang)
            return lists[site_lang].html(page, context["base_url"])

        context["nav_list"] = nav_list
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.site is not None:
            search_index.write(Path(config.site_dir), self._index, script=self.outside is not None)


class SuppliedPage(Page):
    """A page whose HTML the plugin supplies (on_page_content): its Markdown, emptied by on_page_markdown, is not
    given to Python-Markdown, whose instance per page would only turn '' into ''."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown:  # a page whose Markdown was kept is MkDocs' to render
            super().render(config, files)
            return
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()


def _nav_titles(nav: Any) -> dict[str, list[str | None]]:
    """The titles the `nav` configuration gives each path it names (None: none), in MkDocs' reading of it."""
    titles: dict[str, list[str | None]] = {}

    def walk(data: Any, title: str | None = None) -> None:
        if isinstance(data, dict):  # {title: path} names a page, {title: [...]} a section
            for key, value in data.items():
                walk(value, key if isinstance(value, str) else None)
        elif isinstance(data, list):
            for item in data:
                walk(item)
        elif isinstance(data, str):
            # A path from the root may name the page or not (validation.nav.absolute_links): counted twice, like
            # a page named twice, it is left to MkDocs.
            named = titles.setdefault(PurePath(data.lstrip("/")).as_posix(), [])
            named += [title, title] if data.startswith("/") else [title]

    walk(nav)
    return titles


def _content(site_page: SitePage, lang: str, rewrite: Oracle) -> PageContent:
    """A page's content: rendered from what the audience may see (or its ready HTML), sanitized, with its words."""
    if site_page.html is not None:
        html = clean_html(site_page.html, rewrite)
        return PageContent(html, (), search_index.html_sections(html))
    docs = [parse(site_page.markdown)] if site_page.markdown else []
    if site_page.body is not None:
        docs += [parse(f'<div lang="{lang}">\n'), site_page.body, parse("</div>\n")] if lang else [site_page.body]
    rendered = render_documents(docs, lambda url, image: rewrite(url) is not None, sections=True)
    html = clean_html(rendered.html, rewrite)
    sections = rendered.sections
    if sections is None:  # raw HTML that only the sanitizer reads: the words of what it kept
        sections = search_index.html_sections(html, {entry.ident for entry in rendered.toc})
    return PageContent(html, rendered.toc, sections)


def _rewriter(
    site: Site,
    page: Page,
    files: Files,
    site_files: frozenset[str],
    known: frozenset[str] | None = None,
    keep_external: bool = False,
) -> Callable[[str], str | None]:
    """The link rewriting of `page`: `site_files` are the site's files (their dest_uri), `known` the files a link
    must name (with file URLs: the site's and those beside it, from the output root), or None."""
    src_dir = posixpath.dirname(page.file.src_uri)
    page_dir = posixpath.dirname(page.file.dest_uri) or "."

    def rewrite(url: str) -> str | None:
        """The URL as the built page needs it (a file of the site as MkDocs links it: page.md -> page/),
        or None where it leads nowhere the reader may go."""
        target = source_target(url, src_dir)
        linked = files.get_file_from_path(target) if target is not None else None
        if linked is not None:
            fragment = url.partition("#")[2]
            url = linked.url_relative_to(page.file) + (f"#{fragment}" if fragment else "")
        if not site_url_ok(url, page_dir, site_files, site.dest, site.link_roots):
            return None
        if known is None or (keep_external and _SCHEME.match(url)):
            return url
        return file_link(url, posixpath.join(site.dest, page_dir), known)

    return rewrite


class NavList:
    """The theme's navigation list of one site (main.html's loop over `nav`), made once for all its pages.

    The list differs from page to page only in which items are active (the page and its sections), which
    one is the page itself (aria-current) and where its links lead from the page (MkDocs' `url` filter):
    those are worked out for each page, as the loop would, and the rest is text made once. It is made
    after every page is read, so the pages' titles are final.
    """

    def __init__(self, nav: Navigation, site_lang: str) -> None:
        self.parts: list[str | tuple[str, Any]] = []  # text, or (what, item) to work out for each page
        self._items(nav.items, site_lang)

    @staticmethod
    def fits(nav: Navigation) -> bool:
        """Whether the list can be made this way: every item a page, a link, or a section with items."""

        def fit(item: Any) -> bool:
            if isinstance(item, NavSection):
                return bool(item.children) and all(fit(child) for child in item.children)
            return isinstance(item, (Page, Link)) and not item.children

        return all(fit(item) for item in nav.items)

    def _items(self, items: list[Any], site_lang: str) -> None:
        parts = self.parts
        for item in items:
            parts += ["\n      <li", ("active", item), ">"]
            if item.children:
                parts.append(f'\n        <span class="nav-section">{jinja_escape(item.title)}</span>\n        <ul>')
                self._items(item.children, site_lang)
                parts.append("</ul>")
            else:
                meta = getattr(item, "meta", None)  # a link has none
                lang = meta.get("lang") if meta else None
                lang_attr = f' lang="{jinja_escape(lang)}"' if lang and lang != site_lang else ""
                parts += ['\n        <a href="', ("url", item), '"', ("current", item)]
                parts.append(f"{lang_attr}>{jinja_escape(item.title)}</a>")
            parts.append("\n      </li>")

    def html(self, page: Page, base_url: str) -> str:
        """The list as `page` shows it: `<ul>` and its items, as main.html's loop writes them."""
        out = ["\n    <ul>"]
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            what, item = part
            if what == "url":
                out.append(normalize_url(str(item.url), page=page, base=base_url))
            elif what == "active":
                out.append(' class="active"' if item.active else "")
            elif item == page:
                out.append(' aria-current="page"')
        out.append("\n    </ul>")
        return "".join(out)


def file_link(url: str, page_dir: str, known: frozenset[str]) -> str | None:
    """The URL naming a file of `known` (paths from the output root; `page_dir` too), or None.

    A fragment stays; `x/` (or `x`) names `x/index.html`, else the `x.html` of a page linked as `x/`.
    """
    if url.startswith("#"):
        return url
    path, hash_, fragment = url.partition("#")
    if not path or "?" in path or _SCHEME.match(path) or path.startswith(("/", "\\")):
        return None
    target = posixpath.normpath(posixpath.join(page_dir, unquote(path)))
    if target == ".." or target.startswith("../"):
        return None
    base = path.rstrip("/") or "."
    if target in known and not path.endswith("/"):
        found = path
    elif posixpath.normpath(posixpath.join(target, "index.html")) in known:
        found = "index.html" if base == "." else f"{base}/index.html"
    elif target + ".html" in known and base not in (".", "..") and not base.endswith(("/.", "/..")):
        found = f"{base}.html"
    else:
        return None
    return found + hash_ + fragment


def html_name(page_path: str) -> str:
    """The file MkDocs writes for a page without directory URLs: `a/b.md` -> `a/b.html`, `README.md` -> `index.html`."""
    return File(page_path, None, "", use_directory_urls=False).dest_uri


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
