"""Reading Markdown line by line, the way Python-Markdown reads it (pure).

Which lines are code and which are headings decides what a visibility marker
covers, so these rules follow Python-Markdown (the renderer MkDocs uses)
exactly where it matters: fenced code blocks are found with Python-Markdown's
own pattern (an unclosed fence is no fence), an ATX heading starts at the first
column, and a setext heading is the first line of a block followed by a line of
'=' or '-'. Text inside code is literal: never a link, a heading or a marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown.extensions.fenced_code import FencedBlockPreprocessor

_ATX = re.compile(r"^(#{1,6})(.*?)$")
_SETEXT = re.compile(r"^(=+|-+)[ ]*$")
_INLINE_CODE = re.compile(r"(`+)(?:.+?)\1")


@dataclass(frozen=True)
class Line:
    number: int  # line in the file
    text: str
    code: bool  # inside a fenced or indented code block
    fenced: bool = False  # inside (or a fence of) a fenced code block


def _fenced_lines(body: str) -> set[int]:
    """Indexes of the lines that Python-Markdown's fenced_code extension treats as a fenced block."""
    found: set[int] = set()
    index = 0
    while match := FencedBlockPreprocessor.FENCED_BLOCK_RE.search(body, index):
        first = body.count("\n", 0, match.start())
        last = body.count("\n", 0, match.end())
        found.update(range(first, last + 1))
        index = match.end()
    return found


def lines(body: str, first_line: int) -> Iterator[Line]:
    """Every line of a Markdown body with whether it is code."""
    fenced = _fenced_lines(body)
    previous_blank = True
    previous_code = False
    for offset, text in enumerate(body.split("\n")):
        number = first_line + offset
        if offset in fenced:
            yield Line(number, text, True, True)
            previous_blank = previous_code = False
            continue
        blank = text.strip() == ""
        indented = text.startswith(("    ", "\t")) and not blank
        is_code = indented and (previous_blank or previous_code)
        yield Line(number, text, is_code)
        previous_code = is_code or (previous_code and blank)
        previous_blank = blank


def strip_inline_code(text: str) -> str:
    """The line with `inline code` spans blanked out."""
    return _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)


@dataclass(frozen=True)
class Heading:
    number: int  # the line of the heading's text
    level: int
    text: str  # the heading text, attribute list included
    setext: bool = False


def headings(body: str, first_line: int) -> Iterator[Heading]:
    """ATX (# Title) and setext (Title / =====) headings outside code."""
    items = list(lines(body, first_line))
    for index, line in enumerate(items):
        if line.code:
            continue
        atx = _ATX.match(line.text)
        if atx:
            text = re.sub(r"[ \t]*#*[ \t]*$", "", atx.group(2)).strip()
            yield Heading(line.number, len(atx.group(1)), text)
            continue
        block_start = index == 0 or items[index - 1].text.strip() == ""
        if block_start and line.text.strip() and index + 1 < len(items) and not items[index + 1].code:
            underline = _SETEXT.match(items[index + 1].text)
            if underline:
                level = 1 if underline.group(1).startswith("=") else 2
                yield Heading(line.number, level, line.text.strip(), setext=True)
