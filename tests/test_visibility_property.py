"""Property test of the heading-marker filter: every visible paragraph kept, no hidden one.

Documents are generated as a list of blocks (ATX and setext headings at random levels with or
without markers, paragraphs, fenced code blocks holding marker-like lines), and the expected
visibility of each paragraph is computed from that structure, not from the text.
"""

from __future__ import annotations

from dataclasses import dataclass

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.visibility import filter_body, sees

AUDIENCES = ("student", "educator", "family", "advisory", "public")
FULL = ("student", "educator")
WORDS = ("private", "family", "advisory", "public")


@dataclass(frozen=True)
class Heading:
    level: int
    setext: bool
    marker: tuple[str, ...] | None


@dataclass(frozen=True)
class Paragraph:
    token: str


@dataclass(frozen=True)
class Fence:
    token: str
    fake_level: int
    fake_marker: tuple[str, ...]


markers = st.none() | st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True).map(tuple)


@st.composite
def headings(draw: st.DrawFn) -> Heading:
    setext = draw(st.booleans())
    level = draw(st.integers(1, 2)) if setext else draw(st.integers(1, 6))
    return Heading(level, setext, draw(markers))


@st.composite
def documents(draw: st.DrawFn) -> tuple[list[object], tuple[str, ...]]:
    count = draw(st.integers(1, 14))
    blocks: list[object] = []
    for index in range(count):
        kind = draw(st.sampled_from(["heading", "paragraph", "paragraph", "fence"]))
        token = f"tok{index}x"
        if kind == "heading":
            blocks.append(draw(headings()))
        elif kind == "paragraph":
            blocks.append(Paragraph(token))
        else:
            fake = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2, unique=True).map(tuple))
            blocks.append(Fence(token, draw(st.integers(1, 6)), fake))
    page_default = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2, unique=True).map(tuple))
    return blocks, page_default


def _marker_text(marker: tuple[str, ...] | None) -> str:
    return "" if marker is None else ' {: visibility="' + " ".join(marker) + '" }'


def render(blocks: list[object]) -> str:
    parts = []
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            title = f"Head{index}h"
            if block.setext:
                parts.append(title + _marker_text(block.marker) + "\n" + ("=" if block.level == 1 else "-") * 5)
            else:
                parts.append("#" * block.level + " " + title + _marker_text(block.marker))
        elif isinstance(block, Paragraph):
            parts.append(f"Text {block.token} here.")
        elif isinstance(block, Fence):
            fake = "#" * block.fake_level + " Fake" + _marker_text(block.fake_marker)
            parts.append(f"```\n{fake}\n{block.token}\n```")
    return "\n\n".join(parts) + "\n"


def expected_visible(blocks: list[object], default: tuple[str, ...], audience: str) -> dict[str, bool]:
    stack: list[tuple[int, tuple[str, ...]]] = []
    current = default
    result = {}
    for block in blocks:
        if isinstance(block, Heading):
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            current = block.marker if block.marker is not None else (stack[-1][1] if stack else default)
            stack.append((block.level, current))
        elif isinstance(block, (Paragraph, Fence)):
            result[block.token] = sees(audience, current, FULL, "public")
    return result


@settings(max_examples=300, deadline=None)
@given(documents(), st.sampled_from(AUDIENCES))
def test_filter_keeps_visible_and_drops_hidden(document: tuple[list[object], tuple[str, ...]], audience: str) -> None:
    blocks, default = document
    source = render(blocks)
    filtered = filter_body(source, default, lambda value: sees(audience, value, FULL, "public"))
    html = markdown.markdown(filtered, extensions=["attr_list", "fenced_code", "toc"])
    for token, visible in expected_visible(blocks, default, audience).items():
        assert (token in filtered) == visible, (token, visible, source, filtered)
        assert (token in html) == visible
    assert "visibility=" not in html.replace("Fake {: visibility=", "")
    assert 'visibility="' not in "".join(line for line in html.splitlines() if line.startswith("<h"))
