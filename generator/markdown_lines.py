"""Reading Markdown line by line: which lines are code, which are headings.

Pure functions shared by the stages that look inside Markdown bodies (link
checks, visibility markers): text inside fenced or indented code blocks is
literal and is never a link or a marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_INLINE_CODE = re.compile(r"(`+)(?:.+?)\1")


@dataclass(frozen=True)
class Line:
    number: int  # line in the file
    text: str
    code: bool  # inside a fenced or indented code block


def lines(body: str, first_line: int) -> Iterator[Line]:
    """Every line of a Markdown body with whether it is code."""
    fence: str | None = None
    previous_blank = True
    previous_code = False
    for offset, text in enumerate(body.split("\n")):
        number = first_line + offset
        if fence is not None:
            yield Line(number, text, True)
            stripped = text.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        opened = _FENCE_OPEN.match(text)
        if opened:
            fence = opened.group(1)
            yield Line(number, text, True)
            previous_blank = False
            continue
        indented = (text.startswith("    ") or text.startswith("\t")) and text.strip() != ""
        is_code = indented and (previous_blank or previous_code)
        yield Line(number, text, is_code)
        previous_code = is_code or (previous_code and text.strip() == "")
        previous_blank = text.strip() == ""


def strip_inline_code(text: str) -> str:
    """The line with `inline code` spans blanked out."""
    return _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)


@dataclass(frozen=True)
class Heading:
    number: int
    level: int
    text: str  # the heading text, attribute list included


def headings(body: str, first_line: int) -> Iterator[Heading]:
    """ATX (# Title) and setext (Title / =====) headings outside code."""
    items = list(lines(body, first_line))
    for index, line in enumerate(items):
        if line.code:
            continue
        atx = _ATX.match(line.text)
        if atx:
            yield Heading(line.number, len(atx.group(1)), re.sub(r"[ \t]+#+$", "", atx.group(2) or ""))
            continue
        if index + 1 < len(items) and line.text.strip() and not items[index + 1].code:
            underline = _SETEXT.match(items[index + 1].text)
            if underline and not _is_list_or_quote(line.text):
                level = 1 if underline.group(1).startswith("=") else 2
                previous = items[index - 1].text.strip() if index else ""
                if previous == "" or index == 0:
                    yield Heading(line.number, level, line.text.strip())


def _is_list_or_quote(text: str) -> bool:
    return bool(re.match(r"^ {0,3}([-*+>]|\d+[.)])(\s|$)", text))
