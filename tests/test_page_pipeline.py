"""What a page costs in MkDocs' page pipeline, without changing a byte: the navigation list made once per site,
no Python-Markdown for the pages the plugin supplies, the deck's Markdown rendered once for its audiences."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import markdown
import pytest

from generator.markdown.html import render_markdown
from generator.model.site import Site, SitePage
from generator.render import deck
from generator.site.builder import THEME_DIR, site_builder

NAV: list[Any] = [
    {"Home": "index.md"},
    "about.md",
    {"Section & <A>": [{"One": "a/one.md"}, {"Deeper": [{'Two "q" & more': "a/b/two.md"}]}]},
    {"Three": "c/three.md"},
    {"Lessons": "https://example.org/lessons/"},
]


def _site(nav: list[Any], lang_page: str = "es") -> Site:
    return Site(
        dest="student/ava",
        title="Ava's ILP",
        audience="student",
        pages=(
            SitePage("index.md", "# Home\n\nSee [one](a/one.md) and [two](a/b/two.md).\n"),
            SitePage("about.md", "# Sobre mí\n\nHola.\n", meta={"lang": lang_page, "title": "Sobre mí"}),
            SitePage("a/one.md", "# One\n\nBack [home](../index.md).\n"),
            SitePage("a/b/two.md", '# Two "quoted" & more\n\nText.\n'),
            SitePage("c/three.md", "# Three\n\nText.\n"),
        ),
        nav=nav,
        view_label="Student view",
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _theme_with_its_own_loop(tmp_path: Path) -> Path:
    """The theme, its navigation written by main.html's own loop (the plugin's list never used)."""
    theme = tmp_path / "theme"
    shutil.copytree(THEME_DIR, theme)
    main = (theme / "main.html").read_text(encoding="utf-8")
    assert "{%- if nav_list is defined %}" in main
    (theme / "main.html").write_text(main.replace("{%- if nav_list is defined %}", "{%- if false %}"), encoding="utf-8")
    return theme


def _build(site: Site, out: Path, theme: Path = THEME_DIR, file_urls: bool = False) -> dict[str, bytes]:
    with site_builder(theme, file_urls=file_urls) as builder:
        builder.build(site, out / site.dest, frozenset())
    return _files(out / site.dest)


@pytest.mark.parametrize("file_urls", [False, True])
@pytest.mark.parametrize(
    "nav",
    [
        NAV,
        [*NAV, {"One again": "a/one.md"}],  # a page the navigation names twice: MkDocs makes its pages
        [*NAV, {"Empty": []}],  # a section without pages: the theme's loop writes the list
    ],
)
def test_the_navigation_is_byte_for_byte_the_one_the_theme_loop_writes(
    tmp_path: Path, nav: list[Any], file_urls: bool
) -> None:
    made_once = _build(_site(nav), tmp_path / "plugin", file_urls=file_urls)
    looped = _build(_site(nav), tmp_path / "loop", _theme_with_its_own_loop(tmp_path), file_urls)
    assert made_once == looped
    two = made_once["a/b/two.html" if file_urls else "a/b/two/index.html"].decode()
    menu = two[two.index('<nav class="site-nav"') : two.index("</nav>")]
    assert menu.count('aria-current="page"') == 1
    assert '<li class="active">\n        <span class="nav-section">Section &amp; &lt;A&gt;</span>' in menu
    assert 'lang="es">Sobre mí</a>' in menu
    assert "Two &#34;q&#34; &amp; more</a>" in menu
    home = "../../index.html" if file_urls else "../../.."
    assert f'<a href="{home}">Home</a>' in menu


def test_a_page_in_the_sites_language_is_not_marked(tmp_path: Path) -> None:
    site = _site(NAV, lang_page="en")
    made_once = _build(site, tmp_path / "plugin")
    assert made_once == _build(site, tmp_path / "loop", _theme_with_its_own_loop(tmp_path))
    assert 'lang="en">Sobre mí</a>' not in made_once["index.html"].decode()


def test_pages_keep_the_titles_the_navigation_gives_them(tmp_path: Path) -> None:
    files = _build(_site(NAV), tmp_path / "out")
    one = files["a/one/index.html"].decode()
    assert "<title>One · Ava&#39;s ILP</title>" in one
    assert re.search(r'<a href="\./" aria-current="page">One</a>', one)
    assert "<title>Sobre mí · Ava&#39;s ILP</title>" in files["about/index.html"].decode()  # its own title


def test_python_markdown_converts_nothing_for_the_pages_the_plugin_supplies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    converted: list[str] = []
    convert = markdown.Markdown.convert

    def counting(self: markdown.Markdown, source: str) -> str:
        converted.append(source)
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", counting)
    files = _build(_site(NAV), tmp_path / "supplied")
    assert converted == []
    assert 'Back <a href="../../" rel="noopener noreferrer">home</a>' in files["a/one/index.html"].decode()
    _build(_site([*NAV, {"One again": "a/one.md"}]), tmp_path / "twice")
    assert converted == [""]  # the page named twice is MkDocs' own, and its Markdown is empty


def test_the_decks_markdown_is_rendered_again_where_the_policy_answers_otherwise() -> None:
    text = "- [My robot](robot.md)\n\n    ![The robot](artifacts/robot.svg)\n- [Other](other.md)\n"

    def shown(*names: str) -> Any:
        return lambda url, image: url in names

    for names in [("robot.md", "artifacts/robot.svg", "other.md"), ("other.md",), ("robot.md", "other.md"), ()]:
        assert deck._render(text, shown(*names)) == render_markdown(text, shown(*names)).html
    unlinked = "<ul>\n<li>\n<p>My robot</p>\n<p></p>\n</li>\n<li>\n<p>Other</p>\n</li>\n</ul>\n"
    assert deck._render(text, shown()) == unlinked
