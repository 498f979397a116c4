"""Pages on a phone, as HTML: the menu button that holds the navigation, tables that scroll in a labelled
region of their own, and no empty table header cell (issue 13: "Phones", "Accessibility on every page
type"). How they look at 320 and 390 px is tests/test_browser.py's part."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markdown.html import render_markdown
from generator.pipeline import build
from generator.sanitize import clean_html, scroll_tables
from tests.conftest import REPO, TODAY_DATE, District

REGION = '<div class="table-scroll" role="region" aria-label="{}" tabindex="0">'


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    text: list[str] = field(default_factory=list)
    children: list[Element] = field(default_factory=list)

    def words(self) -> str:
        return " ".join("".join(self.text).split())

    def ancestors(self) -> list[Element]:
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Tree(HTMLParser):
    """Every element of a page, with its parent and the text inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.open = [self.root]
        self.all: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.open[-1])
        self.open[-1].children.append(element)
        self.all.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, 0, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text.append(data)


def elements(html: str) -> list[Element]:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.all


def table_problems(html: str) -> list[str]:
    """What is wrong with a page's tables on a phone or for a screen reader."""
    problems = []
    names: list[str] = []
    for element in elements(html):
        if element.tag == "th" and not element.words():
            problems.append("an empty header cell")
        if element.tag != "table" or any(a.tag == "table" for a in element.ancestors()):
            continue
        region = element.parent
        if region is None or region.tag != "div" or "table-scroll" not in region.attrs.get("class", "").split():
            problems.append("a table outside a scrolling region")
            continue
        if region.attrs.get("role") != "region" or region.attrs.get("tabindex") != "0":
            problems.append(f"a scrolling region that is not a focusable region: {region.attrs}")
        if not region.attrs.get("aria-label", "").strip():
            problems.append("a scrolling region without a name")
        names.append(region.attrs.get("aria-label", ""))
    problems += [f"two regions named {name!r}" for name in sorted(set(names)) if names.count(name) > 1]
    return problems


# The Markdown renderer: header rows


def test_a_header_row_without_words_is_left_out() -> None:
    html = render_markdown("| | |\n|---|---|\n| `site/` | The portfolio |\n").html
    assert "<thead>" not in html
    assert not re.search(r"<th[ >]", html)
    assert "<td><code>site/</code></td>" in html


def test_an_empty_header_cell_beside_others_is_a_plain_cell() -> None:
    html = render_markdown("| | Fall | Spring |\n|---|---|---|\n| Math | B | A |\n").html
    assert "<thead>\n<tr>\n<td></td>\n<th>Fall</th>\n<th>Spring</th>\n</tr>\n</thead>" in html


def test_a_table_of_only_an_empty_header_row_keeps_it_as_plain_cells() -> None:
    html = render_markdown("| | |\n|---|---|\n").html
    assert not re.search(r"<th[ >]", html)
    assert html.count("<td></td>") == 2


def test_header_cells_with_words_stay_header_cells() -> None:
    html = render_markdown("| Course | Credits |\n|---|---|\n| Art | 1 |\n").html
    assert "<th>Course</th>" in html
    assert "<th>Credits</th>" in html


# After sanitizing: every table in a region that scrolls


def test_a_table_is_named_by_its_caption_else_its_heading_else_table() -> None:
    html = clean_html(
        "<table><tr><td>1</td></tr></table>"
        "<h2>My <em>courses</em></h2><table><tr><td>1</td></tr></table>"
        "<table><caption>Grade 9 <b>courses</b></caption><tr><td>1</td></tr></table>"
    )
    assert html.count("table-scroll") == 3
    assert REGION.format("Table") + "<table>" in html
    assert REGION.format("My courses") + "<table>" in html
    assert REGION.format("Grade 9 courses") + "<table><caption>" in html
    assert html.count("</table></div>") == 3
    assert table_problems(html) == []


def test_names_that_repeat_are_numbered() -> None:
    html = clean_html("<h2>Grade 9</h2>" + "<table><tr><td>1</td></tr></table>" * 3)
    assert [REGION.format(n) in html for n in ("Grade 9", "Grade 9, table 2", "Grade 9, table 3")] == [True] * 3
    assert table_problems(html) == []


def test_a_table_inside_a_table_stays_in_the_outer_region() -> None:
    html = clean_html("<table><tr><td><table><tr><td>in</td></tr></table></td></tr></table><p>after</p>")
    assert html.count("table-scroll") == 1
    assert html.endswith("</table></td></tr></tbody></table></div><p>after</p>")


def test_what_a_student_wrote_is_escaped_in_the_name_and_cannot_make_a_region() -> None:
    html = clean_html(
        '<h2 title="a>b">Plans &amp; "more" &lt;script&gt;</h2><table title="x>y"><tr><td>1</td></tr></table>'
        '<div role="region" tabindex="0" aria-label="mine" class="table-scroll">text</div>'
    )
    assert REGION.format("Plans &amp; &quot;more&quot; &lt;script&gt;") + '<table title="x&gt;y">' in html
    assert '<div class="table-scroll">text</div>' in html  # role, tabindex and aria-label never pass the sanitizer
    assert html.count('role="region"') == 1


def test_an_empty_header_cell_a_student_wrote_is_a_plain_cell() -> None:
    html = clean_html('<table><tr><th scope="col"> </th><th scope="col">Fall</th></tr></table>')
    assert '<tr><td> </td><th scope="col">Fall</th></tr>' in html


def test_scroll_tables_leaves_html_without_tables_as_it_is() -> None:
    text = "<h1>Goals</h1><p>No table here: &lt;table&gt; is text.</p><pre><code>&lt;table&gt;</code></pre>"
    assert scroll_tables(text) == text


# Built pages


@pytest.fixture
def ava_site(district: District, tmp_path: Path) -> Path:
    district.write(
        "students/ava/self-awareness/wide.md",
        """\
        ---
        title: My week
        ---
        # My week

        | | |
        |---|---|
        | Monday | https://example.org/a-very-long-address-that-does-not-fit-on-a-phone-screen-at-all |

        <table><caption>Raw</caption><tr><th></th><td>x</td></tr></table>
        """,
    )
    out = tmp_path / "site"
    result = build(district.root, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    return out


def test_the_navigation_is_in_a_menu_button_after_the_skip_link(ava_site: Path) -> None:
    html = (ava_site / "student" / "ava" / "index.html").read_text(encoding="utf-8")
    found = elements(html)
    body = next(e for e in found if e.tag == "body")
    focusable = [e for e in found if e.tag in ("a", "summary", "input") and body in e.ancestors()]
    assert focusable[0].attrs.get("class") == "skip-link"
    menu = next(e for e in found if e.tag == "details")
    assert menu.attrs.get("class") == "site-menu"
    assert [c.tag for c in menu.children] == ["summary", "nav"]
    assert menu.children[0].words() == "Menu"
    assert menu.children[1].attrs.get("class") == "site-nav"
    assert menu.children[1].attrs.get("aria-label")
    assert "open" not in menu.attrs  # closed on a phone; ilp.css shows it open beside the page on a wide screen
    assert html.index("<details") < html.index("<main")


def test_a_students_tables_scroll_in_named_regions(ava_site: Path) -> None:
    html = (ava_site / "student" / "ava" / "self-awareness" / "wide" / "index.html").read_text(encoding="utf-8")
    assert REGION.format("My week") + "<table>\n<tbody>" in html
    assert REGION.format("Raw") + "<table><caption>Raw</caption><tbody><tr><td></td><td>x</td>" in html
    assert table_problems(html) == []


def test_the_sample_has_no_empty_header_and_every_table_scrolls(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = build(REPO, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    problems = {}
    pages = sorted(out.rglob("*.html"))
    for page in pages:
        found = table_problems(page.read_text(encoding="utf-8"))
        if found:
            problems[page.relative_to(out).as_posix()] = found
    assert problems == {}
    assert sum("table-scroll" in p.read_text(encoding="utf-8") for p in pages) > 100


FRAGMENTS = [
    "<table>",
    "</table>",
    "<tr><td>",
    "<th></th>",
    "<caption>",
    "</caption>",
    "<h2>",
    "</h2>",
    "x",
    '"',
    "<",
    ">",
    "&",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_any_html_comes_out_with_every_table_in_a_region(parts: list[str]) -> None:
    html = clean_html("".join(parts))
    assert table_problems(html) == []
    assert html.count("<div") == html.count("</div>")


def test_a_table_written_inside_an_attribute_is_no_table() -> None:
    """The wrapper is added after sanitizing, so only real tags may count: text that looks like a table
    inside an attribute stays text, escaped, and nothing is inserted into the attribute."""
    from generator.sanitize import clean_html

    out = clean_html('<p><span title="<table><img src=x onerror=alert(1)></table>">hi</span></p>')
    assert "table-scroll" not in out
    assert "<img" not in out
    assert 'title="&lt;table&gt;' in out
