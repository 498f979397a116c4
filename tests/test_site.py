"""The site stage: MkDocs' public build, one plugin per site, nothing shared that a build changes."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from generator.model.site import Site, SiteFile, SitePage
from generator.site.builder import SiteBuilder, site_builder
from generator.site.output import lunr_js


def _site(dest: str, word: str) -> Site:
    return Site(
        dest=dest,
        title=f"Site {word}",
        audience="public",
        pages=(
            SitePage("index.md", f"# Home of {word}\n\nSee [the other page](other.md).\n"),
            SitePage("other.md", f"# Other {word}\n\n![pic](files/pic.svg)\n"),
        ),
        nav=[{"Home": "index.md"}, {"Other": "other.md"}],
        files=(SiteFile("files/pic.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>\n'),),
        view_label="Public view",
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_site_description_builds_and_says_what_it_wrote(tmp_path: Path) -> None:
    with site_builder() as builder:
        built = builder.build(_site("one", "alpha"), tmp_path / "one")
    assert built.pages == 2
    home = (tmp_path / "one" / "index.html").read_text(encoding="utf-8")
    assert "Home of alpha" in home
    assert 'href="other/"' in home  # the link rewritten as MkDocs writes it
    assert (tmp_path / "one" / "files" / "pic.svg").is_file()
    assert (tmp_path / "one" / "search" / "search_index.json").is_file()
    assert not (tmp_path / "one" / "sitemap.xml").exists()


def test_sites_nested_in_each_other_build_in_any_order(tmp_path: Path) -> None:
    with site_builder() as builder:
        builder.build(_site("outer/inner", "inner"), tmp_path / "outer" / "inner")
        builder.build(_site("outer", "outer"), tmp_path / "outer")
    assert "Home of inner" in (tmp_path / "outer" / "inner" / "index.html").read_text(encoding="utf-8")
    assert "Home of outer" in (tmp_path / "outer" / "index.html").read_text(encoding="utf-8")


def test_the_theme_environment_is_compiled_once(tmp_path: Path) -> None:
    builder = SiteBuilder()
    try:
        builder.build(_site("a", "a"), tmp_path / "a")
        first = builder.environment
        builder.build(_site("b", "b"), tmp_path / "b")
        assert first is not None
        assert builder.environment is first
    finally:
        builder.close()


def _build_in_a_process(args: tuple[str, str, str]) -> dict[str, bytes]:
    dest, word, folder = args
    with site_builder() as builder:
        builder.build(_site(dest, word), Path(folder) / dest)
    return _files(Path(folder) / dest)


def test_two_sites_build_at_once_in_two_processes(tmp_path: Path) -> None:
    jobs = [("left", "left", str(tmp_path / "parallel")), ("right", "right", str(tmp_path / "parallel"))]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        parallel = pool.map(_build_in_a_process, jobs)
    sequential = [_build_in_a_process((dest, word, str(tmp_path / "sequential"))) for dest, word, _ in jobs]
    assert parallel == sequential


def test_lunr_is_where_mkdocs_keeps_it() -> None:
    # MkDocs has no public name for its copy of lunr.js: if a release moves it, this fails.
    script = lunr_js()
    assert len(script) > 10_000
    assert b"lunr" in script[:2000]


def test_the_search_index_is_made_from_the_rendering_not_by_mkdocs_search_plugin(tmp_path: Path) -> None:
    with site_builder() as builder:
        site = _site("one", "alpha")
        assert "search" not in builder.config(site, tmp_path / "unused").plugins
        builder.build(site, tmp_path / "one")
    index = json.loads((tmp_path / "one" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert {"location": "#home-of-alpha", "text": "See the other page.", "title": "Home of alpha"} in index["docs"]
    assert {"location": "other/", "text": "Other alpha pic", "title": "Other"} in index["docs"]
