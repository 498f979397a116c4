"""`urls()` reads a page's HTML back only where the renderer writes URLs of its own (raw HTML, footnotes):
elsewhere every URL of the published page is one of its links' or images', already reported.

The property behind the shortcut: for any page without raw HTML or footnotes, the URLs of the page as it
is published (rendered, sanitized, read back by an HTML parser) are among those of its tokens.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markdown.document import parse
from generator.markdown.links import Link, resolve
from generator.markdown.urls import _writes_urls, linked_urls, published_urls, urls

PIECES = [
    "[",
    "]",
    "(",
    ")",
    "![",
    "<",
    ">",
    "https://example.org/a?b=1&c=2",
    "mailto:x@example.org",
    "javascript:x",
    "files/plan.pdf",
    "#top",
    "a b",
    "&amp;",
    "&#x3C;",
    '"',
    "'",
    "*",
    "_",
    "`",
    "\n",
    "\n\n",
    "  \n",
    "\\",
    "%20",
    "é",
    "😀",
    "[x]: ",
    "[x]",
    "| a | b |\n|---|---|\n| c | d |\n",
    "# ",
    "- ",
    "1. ",
    "> ",
    "~~",
    "Term\n: ",
    "    ",
    "```\n",
    "title",
    "data:image/png;base64,AAAA",
    "//example.org",
    "\t",
    "{: .x }",
    "artifacts/chart.svg",
    "../artifacts/plan.pdf",
    "a:artifacts/x.svg",
    "A1+.-:y",
    "%2e%2e/",
    "artifacts/a%20b.svg",
    "artifacts/x.svg#part",
    "?q=1",
    "ftp://example.org/artifacts/x.svg",
    "//example.org/x.svg",
]

URLS = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)
LINKS = st.one_of(
    URLS.map(lambda url: f"[a]({url})"),
    URLS.map(lambda url: f"![chart]({url})"),
    URLS.map(lambda url: f"[a](<{url}>)"),
    URLS.map(lambda url: f'[a]({url} "title")'),
    URLS.map(lambda url: f"<{url}>"),
    URLS.map(lambda url: f"\n\n[x]: {url}\n\n"),
)
texts = st.lists(st.one_of(st.sampled_from(PIECES), LINKS), max_size=30).map("".join)


def _writes(doc_tokens: list) -> bool:  # type: ignore[type-arg]
    return any(_writes_urls(t) or any(_writes_urls(c) for c in t.children or ()) for t in doc_tokens)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_without_raw_html_or_footnotes_the_published_urls_are_the_tokens(text: str) -> None:
    doc = parse(text, 1, "students/x/page.md")
    tokens = doc.tokens_for_render()
    if not _writes(tokens):  # urls() then reports its tokens' URLs only
        assert set(published_urls(doc)) <= {(u.target, u.image) for u in urls(doc)}


def test_raw_html_and_footnotes_are_still_read_back() -> None:
    doc = parse('A <img src="files/a.png" alt="a">[^1] and [b](files/b.pdf).\n\n[^1]: A note.\n', 1, "s/p.md")
    found = {(u.target, u.image) for u in urls(doc)}
    assert ("files/a.png", True) in found
    assert ("files/b.pdf", False) in found
    assert any(target.startswith("#fn") for target, _ in found)  # the footnote's link, made by the renderer


def test_a_page_of_links_reports_each_link_once_with_its_line() -> None:
    doc = parse("# Plan\n\nSee [the plan](plan.md) and ![chart](files/chart.svg).\n\n[again](plan.md)\n", 1, "s/p.md")
    assert [(u.line, u.target, u.image) for u in urls(doc)] == [
        (3, "plan.md", False),
        (3, "files/chart.svg", True),
        (5, "plan.md", False),
    ]


FILES = frozenset(["page.md", "artifacts/chart.svg", "artifacts/x.svg", "artifacts/a b.svg", "plan.pdf"])


def _named(pairs: list[tuple[str, bool]]) -> set[str]:
    """The student's files that these (url, loads) name, as views.py reads them."""
    found = set()
    for url, loads in pairs:
        target, problem = resolve(Link(1, url, loads), "page.md", FILES)
        if problem is None and target is not None:
            found.add(target)
    return found


@settings(max_examples=500, deadline=None)
@given(texts)
def test_the_files_a_page_links_are_the_same_read_from_its_tokens_or_its_html(text: str) -> None:
    doc = parse(text, 1, "students/x/page.md")
    assert _named(linked_urls(doc)) == _named(published_urls(doc))


SHOWN = [
    "See ![chart](artifacts/chart.svg) and [the plan](../artifacts/plan.pdf).",
    "[a](<artifacts/a b.svg>) [b](artifacts/a%20b.svg) [c][x]\n\n[x]: artifacts/x.svg#part\n",
    "| a | b |\n|---|---|\n| ![c](artifacts/chart.svg) | [d](a:artifacts/x.svg) |\n",
]


def test_pages_of_links_to_files_take_the_tokens_way() -> None:
    for text in SHOWN:
        doc = parse(text, 1, "students/x/page.md")
        assert not _writes(doc.tokens_for_render()), text
        assert _named(linked_urls(doc)), text
        assert _named(linked_urls(doc)) == _named(published_urls(doc)), text
    assert _named(linked_urls(parse(SHOWN[1], 1, "s/page.md"))) == {"artifacts/a b.svg", "artifacts/x.svg"}
