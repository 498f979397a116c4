"""Property test of visibility on the parser's own blocks: every visible piece kept, no hidden one.

Documents are generated as a list of blocks of every construct the parser supports (ATX and
setext headings at random levels with or without markers, paragraphs, tables, lists, block
quotes, fenced and indented code holding marker-like lines, HTML blocks, definition lists,
footnotes and reference links defined and used in one section). The expected visibility of each
piece is computed from that structure, not from the text: a section is visible only if it and
every enclosing marked section are (a heading made by an underline, which ilp check refuses where it
would end a marked section, keeps that section's rule). The filter's rendering must hold exactly the visible pieces,
and the renderer must show every piece of the unfiltered document (so each piece is real content).
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markdown.document import parse
from generator.markdown.html import render_document
from generator.visibility.markers import filter_document, sees

AUDIENCES = ("student", "educator", "family", "advisory", "public")
FULL = ("student", "educator")
WORDS = ("private", "family", "advisory", "public")
KINDS = (
    "paragraph",
    "table",
    "bullets",
    "ordered",
    "quote",
    "fence",
    "code",
    "html",
    "deflist",
    "footnote",
    "reference",
)


@dataclass(frozen=True)
class Heading:
    level: int
    setext: bool
    marker: tuple[str, ...] | None


@dataclass(frozen=True)
class Piece:
    kind: str
    token: str
    fake: str = ""  # a marker-like heading line inside code


markers = st.none() | st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True).map(tuple)


@st.composite
def headings(draw: st.DrawFn) -> Heading:
    setext = draw(st.booleans())
    level = draw(st.integers(1, 2)) if setext else draw(st.integers(1, 6))
    return Heading(level, setext, draw(markers))


@st.composite
def documents(draw: st.DrawFn) -> tuple[list[Heading | Piece], tuple[str, ...]]:
    count = draw(st.integers(1, 16))
    blocks: list[Heading | Piece] = []
    for index in range(count):
        if draw(st.integers(0, 2)) == 0:
            blocks.append(draw(headings()))
        else:
            kind = draw(st.sampled_from(KINDS))
            fake = draw(st.sampled_from(WORDS))
            blocks.append(Piece(kind, f"tok{index}x", f'## Fake {{: visibility="{fake}" }}'))
    page_default = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2, unique=True).map(tuple))
    return blocks, page_default


def _marker(marker: tuple[str, ...] | None) -> str:
    return "" if marker is None else ' {: visibility="' + " ".join(marker) + '" }'


def _piece(piece: Piece, index: int) -> str:
    t = piece.token
    return {
        "paragraph": f"Text {t} here.",
        "table": f"| Name | Note |\n| --- | --- |\n| a | {t} |",
        "bullets": f"- first\n  - nested {t}",
        "ordered": f"1. one\n2. two {t}",
        "quote": f"> quoted {t}",
        "fence": f"```\n{piece.fake}\n{t}\n```",
        "code": f"    code {t}",  # after a list it continues the list: still the same section
        "html": f"<div>\n{t}\n</div>",
        "deflist": f"Term {index}\n: defined {t}",
        "footnote": f"See note[^n{index}].\n\n[^n{index}]: Note {t}.",
        "reference": f"A [link {t}][r{index}].\n\n[r{index}]: https://example.org/{t}",
    }[piece.kind]


def render(blocks: list[Heading | Piece]) -> str:
    parts = []
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            title = f"Head{index}h"
            if block.setext:
                parts.append(title + _marker(block.marker) + "\n" + ("=" if block.level == 1 else "-") * 5)
            else:
                parts.append("#" * block.level + " " + title + _marker(block.marker))
        else:
            parts.append(_piece(block, index))
    return "\n\n".join(parts) + "\n"


def expected_visible(blocks: list[Heading | Piece], default: tuple[str, ...], audience: str) -> dict[str, bool]:
    """From the structure: a piece is visible if every marked section around it is (else the page default)."""
    stack: list[tuple[int, tuple[tuple[str, ...], ...]]] = []
    chain: tuple[tuple[str, ...], ...] = ()
    result = {}
    for block in blocks:
        if isinstance(block, Heading):
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            closed = chain
            parent = stack[-1][1] if stack else ()
            chain = (*parent, block.marker) if block.marker is not None else parent
            if block.setext and block.marker is None and len(closed) > len(parent):
                chain = closed  # an underlined heading never ends a marked section (ilp check refuses it)
            stack.append((block.level, chain))
        else:
            result[block.token] = all(sees(audience, value, FULL, "public") for value in (chain or (default,)))
    return result


@settings(max_examples=400, deadline=None)
@given(documents(), st.sampled_from(AUDIENCES))
def test_filter_keeps_visible_and_drops_hidden(
    document: tuple[list[Heading | Piece], tuple[str, ...]], audience: str
) -> None:
    blocks, default = document
    source = render(blocks)
    doc = parse(source)
    whole = render_document(doc).html
    shown = render_document(
        filter_document(doc, default, lambda value: sees(audience, value, FULL, "public"), audience in FULL)
    ).html
    for token, visible in expected_visible(blocks, default, audience).items():
        assert token in whole, (token, source, whole)
        assert (token in shown) == visible, (token, visible, audience, source, shown)
    headings_html = "".join(line for line in shown.splitlines() if line.startswith("<h"))
    assert "visibility" not in headings_html
