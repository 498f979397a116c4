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

The site's search index is made from the same rendering (generator/site/search_index.py), in place of
MkDocs' search plugin, which would read every page's HTML again. A page whose text, student document
and language are those of a page rendered before (another audience's, mostly) is taken from the
builder's `RenderMemo` wherever every link on it is rewritten the same: rendered once, byte for byte
what rendering it again would give.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

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

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        site = self.site
        if site is None:
            return files
        return Files(
            [File.generated(config, p.path, content="") for p in site.pages]
            + [File.generated(config, f.path, content=f.content) for f in site.files]
        )

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """With file URLs, the links the theme and the templates wrote (navigation, dashboard rows) name files
        too: a folder link becomes its `index.html` or the page's `.html`; one that names no known file stays."""
        site, outside = self.site, self.outside
        if site is None or outside is None:
            return output
        own = {posixpath.normpath(posixpath.join(site.dest, p.path)) for p in site.files}
        own |= {posixpath.normpath(posixpath.join(site.dest, html_name(p.path))) for p in site.pages}
        known = outside | own
        page_dir = posixpath.normpath(posixpath.join(site.dest, posixpath.dirname(page.file.dest_uri)))

        def named(match: re.Match[str]) -> str:
            found = file_link(unescape(match[2]), page_dir, known)
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
        rewrite = _rewriter(site, page, files, self.outside, self.keep_external)
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
        page.toc = get_toc(_toc_tokens(content.toc))
        self._sections[page.file.src_uri] = content.sections
        return content.html

    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        sections = self._sections.pop(page.file.src_uri, None)
        if sections is not None:
            self._index += search_index.entries(str(page.title or ""), page.url, sections)
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.site is not None:
            search_index.write(Path(config.site_dir), self._index, script=self.outside is not None)


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
    site: Site, page: Page, files: Files, outside: frozenset[str] | None = None, keep_external: bool = False
) -> Callable[[str], str | None]:
    src_dir = posixpath.dirname(page.file.src_uri)
    page_dir = posixpath.dirname(page.file.dest_uri) or "."
    site_files = frozenset(f.dest_uri for f in files)
    known = (
        None if outside is None else outside | {posixpath.normpath(posixpath.join(site.dest, f)) for f in site_files}
    )

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
