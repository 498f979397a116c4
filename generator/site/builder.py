"""Sites -> files, through MkDocs' own build (`mkdocs.commands.build.build`) and its plugin events.

`SiteBuilder.build(site, folder)` takes a site description and returns what it wrote. Each site gets
its own MkDocs configuration and its own plugin instance; what a builder keeps between sites never
changes: the theme folder, an empty scratch docs folder and the theme's Jinja environment, whose
templates are compiled once. So two sites can be built at once in two processes, each with its
own builder. The theme's static files are not copied into sites: the output stage writes them once
to `<out>/assets/`.

With `file_urls` (for `ilp export`, and for `ilp build` where mkdocs.yml says MkDocs'
`use_directory_urls: false`), a site works opened from disk: every link names a file (`goals.html`),
a link that names no file of the site or of the files it is told are beside it (the other sites of
the build, named before any is built: `file_names`) is dropped, and the search index is a script
(`search/search_index.js`), which a page opened from disk may load, not JSON, which it may not fetch.
The search index is our plugin's (generator/site/search_index.py), made from the pages' rendering:
MkDocs' search plugin is not used. A builder renders a page whose text and links are those of a page
it rendered before (the same page for another audience) once: its `memo`, which changes no output.
`keep_external` keeps links to other hosts (a district's site); an export drops them.
"""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from generator import i18n, resources
from generator.errors import IlpError
from generator.i18n import catalogs
from generator.markdown.html import RenderMemo
from generator.model.site import Site
from generator.site import search_index
from generator.site.plugin import IlpPlugin, PageContent, html_name

THEME_DIR = resources.THEME_DIR
INDEX_SCRIPT = search_index.SCRIPT_INDEX  # a site's search index, with file_urls
VALIDATION = {  # our pages' links are checked and rewritten by the generator, not by MkDocs
    "nav": {"omitted_files": "ignore", "not_found": "ignore", "absolute_links": "ignore"},
    "links": {"not_found": "ignore", "absolute_links": "ignore", "unrecognized_links": "ignore", "anchors": "ignore"},
}


@dataclass(frozen=True)
class Built:
    """What building one site wrote."""

    dest: str
    pages: int
    files: tuple[str, ...] = ()  # every file written, relative to the site's folder


class SiteBuilder:
    """Builds sites one after another; holds nothing that one site's build changes for the next."""

    def __init__(
        self,
        theme_dir: Path = THEME_DIR,
        strict: bool = False,
        file_urls: bool = False,
        keep_external: bool = False,
        district: Path | None = None,
    ) -> None:
        self.theme_dir = theme_dir
        self.strict = strict
        self.file_urls = file_urls
        self.keep_external = keep_external
        self.district = district  # whose own catalogs (locales/) the theme's text comes from first
        self._scratch = Path(tempfile.mkdtemp(prefix="ilp-docs-"))
        (self._scratch / "docs").mkdir()
        self._env: Environment | None = None
        self.memo = RenderMemo[PageContent]()  # pages rendered, reused where another site's page is the same

    def close(self) -> None:
        shutil.rmtree(self._scratch, ignore_errors=True)

    @property
    def environment(self) -> Environment | None:
        """The theme's Jinja environment every site of this builder renders with (None before the first)."""
        return self._env

    def _theme_env(self, env: Environment) -> Environment:
        """The first site's environment, for every site: the theme's templates are compiled once."""
        if self._env is None:
            # The theme's {{ _("...") }} follow the language of the site being built (generator.i18n).
            env.add_extension("jinja2.ext.i18n")
            env.install_gettext_callables(  # type: ignore[attr-defined]
                gettext=i18n._, ngettext=i18n.ngettext, newstyle=True
            )
            self._env = env
        return self._env

    def config(self, site: Site, site_dir: Path) -> MkDocsConfig:
        """A new MkDocs configuration for one site."""
        depth = len(Path(site.dest).parts)
        extra: dict[str, Any] = {
            **site.extra,
            "audience": site.audience,
            "view_label": site.view_label,
            "view_note": site.view_note,
            "noindex": site.noindex,
            "lang": site.lang,
            "assets": "/".join([".."] * depth + ["assets"]),
        }
        if self.file_urls:
            extra["file_urls"] = True  # the theme links its home page and search index as files
        config = MkDocsConfig()
        config.load_dict(
            {
                "site_name": site.title,
                "docs_dir": str(self._scratch / "docs"),
                "site_dir": str(site_dir),
                "theme": {
                    "name": None,
                    "custom_dir": str(self.theme_dir),
                    "search_index_only": True,
                    "static_templates": [],
                    "locale": "en",  # MkDocs' own theme strings: ours come from generator.i18n
                },
                "plugins": [],  # ours is added per site; the search index is its own
                "markdown_extensions": [],  # pages are rendered by generator.markdown, not Python-Markdown
                "use_directory_urls": not self.file_urls,
                "nav": site.nav,
                "extra": extra,
                "validation": VALIDATION,
                "strict": self.strict,
            }
        )
        errors, _ = config.validate()
        if errors:
            raise IlpError(f"MkDocs rejects the configuration of {site.dest}: {errors}")
        # MkDocs adds its own sitemap to every theme; without a site_url it lists nothing: no sitemap.
        config.theme.static_templates.discard("sitemap.xml")
        return config

    def build(self, site: Site, site_dir: Path, outside: frozenset[str] = frozenset()) -> Built:
        """Write `site` into `site_dir` and say what was written.

        MkDocs empties the folder it builds into, so it builds into a folder of its own, whose files are
        then moved into `site_dir`: sites nested in each other (public/ and public/curriculum/) can be
        built in any order. With `file_urls`, `outside` names the files (from the output root) that the
        site's links into its `link_roots` may lead to, such as the files of a site built before it.
        """
        fresh = Path(tempfile.mkdtemp(prefix="site-", dir=self._scratch))
        try:
            config = self.config(site, fresh)
            plugin = IlpPlugin(
                site, self._theme_env, outside if self.file_urls else None, self.keep_external, self.memo
            )
            config.plugins["ilp"] = plugin
            try:
                with i18n.language(catalogs.load(site.lang, self.district)):
                    mkdocs_build(config)
            except Abort as exc:
                raise IlpError(f"{site.dest}: {exc}") from exc
            files = _files_under(fresh)
            site_dir.mkdir(parents=True, exist_ok=True)
            for entry in sorted(fresh.iterdir()):
                entry.rename(site_dir / entry.name)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
        return Built(site.dest, plugin.written, files)


def _files_under(folder: Path) -> tuple[str, ...]:
    """Every file under `folder` (MkDocs writes no links), as sorted relative POSIX paths."""
    found: list[str] = []
    for top, _, names in os.walk(folder):
        prefix = os.path.relpath(top, folder).replace(os.sep, "/")
        found.extend(name if prefix == "." else f"{prefix}/{name}" for name in names)
    return tuple(sorted(found))


def file_names(site: Site) -> frozenset[str]:
    """The files a site built with `file_urls` holds, from the output root (before it is built).

    Its pages as MkDocs names them without directory URLs (`goals.md` -> `goals.html`), its files and
    its search index script: what links from other sites of the same build may name.
    """
    names = {html_name(p.path) for p in site.pages}
    names.update(f.path for f in site.files)
    names.add(INDEX_SCRIPT)
    return frozenset(posixpath.normpath(posixpath.join(site.dest, name)) for name in names)


@contextmanager
def site_builder(
    theme_dir: Path = THEME_DIR,
    strict: bool = False,
    file_urls: bool = False,
    keep_external: bool = False,
    district: Path | None = None,
) -> Iterator[SiteBuilder]:
    builder = SiteBuilder(theme_dir, strict, file_urls, keep_external, district)
    level = logging.getLogger("mkdocs").level
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        yield builder
    finally:
        logging.getLogger("mkdocs").setLevel(level)
        builder.close()
