"""The search index, made from the pages' rendering (no page read again), and the memo that renders a page
whose text and links are those of another audience's once."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.markdown.document import parse
from generator.markdown.html import Oracle, RenderMemo, render_documents
from generator.model.site import Site, SitePage
from generator.sanitize import clean_html
from generator.site import search_index
from generator.site.builder import site_builder
from tests.conftest import TODAY, District

AUDIENCES = ("student", "educator", "family", "advisory", "public")

PAGE = """\
# A page title

Some **bold** wo**rd**s, `code here`, an ![image of a heron](heron.png) and a [link](https://example.com).
Entities: AT&amp;T and a line\\
break.

## Lists and tables

- one item
- two items
  ### A heading in a list

| Left | Right |
| --- | --- |
| cell one | cell two |

Term
: Its definition.

```python
print("fenced code")
```

    indented code

## Raw HTML that says nothing <span class="x">inline span</span>

<div lang="es">

Spanish words.

</div>

<!-- a comment nobody sees -->
"""


class _Visible(HTMLParser):
    """The words a reader (or a screen reader) gets from a built page: its text and image descriptions, in
    its <main> (`main`) and in all of it (`page`: the title of a page in the navigation, say)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.main: list[str] = []
        self.page: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.depth += 1
        if tag in ("script", "style", "template"):
            self.skip += 1
        if tag == "img":
            self._add(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth -= 1
        if tag in ("script", "style", "template"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._add(data)

    def _add(self, text: str) -> None:
        self.page.append(text)
        if self.depth:
            self.main.append(text)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _visible(page: Path) -> tuple[set[str], set[str]]:
    """The words of a page's <main>, and of all of it."""
    parser = _Visible()
    parser.feed(page.read_text(encoding="utf-8"))
    return _words(" ".join(parser.main)), _words(" ".join(parser.page))


def _site(*pages: SitePage, dest: str = "one", lang: str = "en") -> Site:
    nav = [{p.path.removesuffix(".md").title(): p.path} for p in pages]
    return Site(dest=dest, title="Site", audience="public", pages=pages, nav=nav, lang=lang)


def _index(folder: Path) -> list[dict[str, str]]:
    data = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert data["config"] == search_index.CONFIG  # MkDocs' format, as search.js reads it
    return list(data["docs"])


# --- What the index holds ---------------------------------------------------------------------------


def test_sections_from_the_tokens_are_the_words_of_the_sanitized_page() -> None:
    rendered = render_documents([parse(PAGE)], sections=True)
    assert rendered.sections is not None  # no raw HTML here that only the sanitizer can read
    from_html = search_index.html_sections(clean_html(rendered.html), {e.ident for e in rendered.toc})
    assert rendered.sections == from_html
    by_id = {s.ident: s for s in rendered.sections}
    assert by_id["a-page-title"].text.startswith("Some bold words, code here, an image of a heron and a link.")
    assert "AT&T and a line break." in by_id["a-page-title"].text
    assert "A heading in a list" in by_id["lists-and-tables"].text  # a nested heading is words of its section
    assert "Left Right cell one cell two" in by_id["lists-and-tables"].text
    assert 'print("fenced code")' in by_id["lists-and-tables"].text
    assert by_id["raw-html-that-says-nothing-inline-span"].title == "Raw HTML that says nothing inline span"
    assert by_id["raw-html-that-says-nothing-inline-span"].text == "Spanish words."


@pytest.mark.parametrize(
    "raw",
    [
        "<script>secret()</script>\n",
        "Words <style>.secret{}</style> around.\n",
        '<div title="secret\n\nswallowed by the attribute\n',
        "<!-- secret\n\nswallowed by the comment\n",
        "<details><summary>Open me</summary>\nwords in the block\n</details>\n",
    ],
)
def test_raw_html_only_the_sanitizer_reads_is_indexed_from_its_output(raw: str) -> None:
    """The index never holds a word the page does not show: where raw HTML hides which words those are,
    they are read from the sanitized HTML."""
    source = f"# Title\n\nBefore.\n\n{raw}\n## After\n\nLast words.\n"
    rendered = render_documents([parse(source)], sections=True)
    assert rendered.sections is None
    html = clean_html(rendered.html)
    sections = search_index.html_sections(html, {e.ident for e in rendered.toc})
    words = " ".join(f"{s.title} {s.text}" for s in sections)
    assert "secret" not in words
    assert "swallowed" not in words
    assert _words(words) <= _words(re.sub(r"<[^>]*>", " ", html))
    assert "Before." in words
    if "details" in raw:
        assert "Open me words in the block" in words


def test_a_site_index_has_a_page_entry_and_one_per_heading(tmp_path: Path) -> None:
    deck = SitePage(
        "deck.md",
        html='<section id="s1"><h2 id="s1-title">Slide one</h2><p>Deck words<script>x()</script></p></section>',
    )
    with site_builder() as builder:
        builder.build(_site(SitePage("index.md", PAGE), deck), tmp_path / "one")
    docs = _index(tmp_path / "one")
    locations = [d["location"] for d in docs]
    assert locations[:3] == ["", "#a-page-title", "#lists-and-tables"]
    assert "#a-heading-in-a-list" not in locations  # only the table of contents' headings are entries
    assert docs[0]["title"] == "Index"  # the page's title, as MkDocs gives it (here: the navigation's)
    assert "Spanish words." in docs[0]["text"]
    assert "Lists and tables" in docs[0]["text"]
    assert "comment" not in json.dumps(docs)
    assert {"location": "deck/", "text": "Slide one Deck words", "title": "Deck"} in docs
    assert "x()" not in json.dumps(docs)
    for doc in docs:  # search.js opens base + "/" + location: every entry leads to a page and its heading
        page, _, anchor = doc["location"].partition("#")
        html = (tmp_path / "one" / page / "index.html").read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html


def test_opened_from_disk_the_index_is_a_script(tmp_path: Path) -> None:
    with site_builder(file_urls=True) as builder:
        built = builder.build(_site(SitePage("index.md", PAGE), SitePage("b.md", "# B & b\n")), tmp_path / "one")
    assert "search/search_index.json" not in built.files
    assert "search/search_index.js" in built.files
    script = (tmp_path / "one" / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("window.ilpSearchIndex = {")
    assert script.endswith("};\n")
    data = json.loads(script.removeprefix("window.ilpSearchIndex = ").removesuffix(";\n"))
    assert [d["location"] for d in data["docs"]][:2] == ["index.html", "index.html#a-page-title"]
    assert {"location": "b.html#b-b", "text": "", "title": "B & b"} in data["docs"]  # plain text, not HTML
    assert script.isascii()


def test_every_index_of_a_build_holds_only_what_its_pages_show(district: District) -> None:
    district.write(
        "students/ava/self-awareness/notes.md",
        "---\ntitle: My notes\nvisibility: family\n---\n"
        "Shown words.\n\n<!-- hidden comment words -->\n\n<script>hidden script words</script>\n\n"
        '<div title="hidden attribute\n\nhidden swallowed words\n\n## Later\n\nmore\n',
        dedent=False,
    )
    out = district.root.parent / "site"
    result = district.run("build", "--root", str(district.root), "--out", str(out), "--today", TODAY)
    assert result.exit_code == 0, result.output
    indexes = sorted(out.rglob("search/search_index.json"))
    assert {p.relative_to(out).parts[0] for p in indexes} == {*AUDIENCES}
    for index in indexes:
        site = index.parent.parent
        shown: dict[str, tuple[set[str], set[str]]] = {}
        for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
            page = doc["location"].partition("#")[0]
            if page not in shown:
                shown[page] = _visible(site / page / "index.html")
            main, everything = shown[page]
            assert not _words(doc["text"]) - main, (index, doc["location"], _words(doc["text"]) - main)
            assert not _words(doc["title"]) - everything, (index, doc["location"], doc["title"])
        assert "hidden" not in index.read_text(encoding="utf-8"), index
    family = (out / "family" / "ava" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Shown words." in family
    assert "Nurses need a degree" in family
    assert "Blood" not in family


# --- Rendered once ---------------------------------------------------------------------------------


def test_the_memo_reuses_a_result_only_where_the_oracle_answers_the_same() -> None:
    memo = RenderMemo[str](size=2)
    calls: list[str] = []

    def compute(oracle: Oracle) -> str:
        calls.append("x")
        return f"{oracle('a.md')}|{oracle('b.md')}"

    assert memo.get("k", lambda url: url, compute) == "a.md|b.md"
    assert memo.get("k", lambda url: url, compute) == "a.md|b.md"
    assert len(calls) == 1
    assert memo.get("k", lambda url: None if url == "b.md" else url, compute) == "a.md|None"  # another answer
    assert memo.get("k", lambda url: url, compute) == "a.md|b.md"  # both kept
    assert len(calls) == 2
    assert (memo.hits, memo.misses) == (2, 2)
    memo.get("other", lambda url: url, compute)
    memo.get("third", lambda url: url, compute)  # past its size: the least recently used key goes
    memo.get("k", lambda url: url, compute)
    assert len(calls) == 5


def test_a_page_rendered_for_two_sites_is_what_each_would_render(tmp_path: Path) -> None:
    """Same text, same student document: rendered once where every link comes out the same, again where
    a link leads somewhere in one site and nowhere in the other; byte for byte a fresh build's output."""
    body = parse("Body with a [link to b](b.md), a [link to c](c.md) and a table:\n\n| A |\n| --- |\n| 1 |\n")
    text = "# Shared\n\nSee [b](b.md).\n"

    def site(dest: str, *others: str, lang: str = "en") -> Site:
        pages = (SitePage("index.md", text, body=body), *(SitePage(f"{o}.md", f"# {o}\n") for o in others))
        return _site(*pages, dest=dest, lang=lang)

    sites = [site("one", "b", "c"), site("two", "b", "c"), site("three", "b"), site("four", "b", "c", lang="es")]
    with site_builder() as builder:
        for each in sites:
            builder.build(each, tmp_path / "shared" / each.dest)
        memo = builder.memo
    assert memo.hits >= 3  # two, and the pages b and c of two, three and four
    for each in sites:
        with site_builder() as fresh:
            fresh.build(each, tmp_path / "fresh" / each.dest)
        for file in sorted((tmp_path / "fresh" / each.dest).rglob("*")):
            if file.is_file():
                shared = tmp_path / "shared" / each.dest / file.relative_to(tmp_path / "fresh" / each.dest)
                assert shared.read_bytes() == file.read_bytes(), shared
    one = (tmp_path / "shared" / "one" / "index.html").read_text(encoding="utf-8")
    three = (tmp_path / "shared" / "three" / "index.html").read_text(encoding="utf-8")
    assert '<a href="c/" rel="noopener noreferrer">link to c</a>' in one
    assert "link to c" in three
    assert 'href="c/"' not in three


def test_the_memo_keys_on_the_language_the_sanitizer_writes_in(tmp_path: Path) -> None:
    """The same page in a site built in another language: the sanitizer names its table in that language."""
    body = parse("| A |\n| --- |\n| 1 |\n")
    with site_builder() as builder:
        for dest, lang in (("en", "en"), ("es", "es"), ("en-again", "en")):
            builder.build(_site(SitePage("index.md", body=body), dest=dest, lang=lang), tmp_path / dest)
        assert (builder.memo.hits, builder.memo.misses) == (1, 2)
    assert 'aria-label="Table"' in (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="Tabla"' in (tmp_path / "es" / "index.html").read_text(encoding="utf-8")
