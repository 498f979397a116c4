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

import markdown
from markdown.extensions.fenced_code import FencedBlockPreprocessor

# What Python-Markdown treats as a block of raw HTML when it starts a line.
BLOCK_TAGS = frozenset(markdown.Markdown().block_level_elements)
_HTML_START = re.compile(r"^<(!--|[A-Za-z][A-Za-z0-9-]*)")
LONGEST_LINE = 10_000

_ATX = re.compile(r"^(#{1,6})(.*?)$")
_SETEXT = re.compile(r"^(=+|-+)[ ]*$")


@dataclass(frozen=True)
class Line:
    number: int  # line in the file
    text: str
    code: bool  # inside a fenced or indented code block
    fenced: bool = False  # inside (or a fence of) a fenced code block
    html: bool = False  # inside a block of raw HTML (or an HTML comment): never a heading


def _fenced_lines(body: str) -> set[int]:
    """Indexes of the lines that Python-Markdown's fenced_code extension treats as a fenced block."""
    found: set[int] = set()
    index = 0
    # As Python-Markdown sees the text: tabs expanded, its placeholder characters removed.
    body = body.replace("\x02", "").replace("\x03", "").expandtabs(4)
    while match := FencedBlockPreprocessor.FENCED_BLOCK_RE.search(body, index):
        first = body.count("\n", 0, match.start())
        last = body.count("\n", 0, match.end())
        found.update(range(first, last + 1))
        index = match.end()
    return found


def _html_end(lines_: list[str], start: int) -> int:
    """The index of the last line of the raw HTML block that starts at `start` (Python-Markdown's rule, simplified)."""
    opened = _HTML_START.match(lines_[start])
    assert opened is not None  # only called where a block starts
    tag = opened.group(1).lower()
    if tag == "!--":
        for index in range(start, len(lines_)):
            if "-->" in (lines_[index][4:] if index == start else lines_[index]):
                return index
        return len(lines_) - 1
    depth = 0
    for index in range(start, len(lines_)):
        text = lines_[index].lower()
        depth += len(re.findall(rf"<{tag}\b(?![^>]*/>)", text)) - len(re.findall(rf"</{tag}\s*>", text))
        if depth <= 0 or tag == "hr":
            return index
    return len(lines_) - 1


def lines(body: str, first_line: int) -> Iterator[Line]:
    """Every line of a Markdown body with whether it is code or raw HTML."""
    fenced = _fenced_lines(body)
    all_lines = body.split("\n")
    previous_blank = True
    previous_code = False
    html_until = -1
    for offset, text in enumerate(all_lines):
        number = first_line + offset
        if offset in fenced:
            yield Line(number, text, True, True)
            previous_blank = previous_code = False
            continue
        blank = text.strip() == ""
        if offset > html_until:
            started = _HTML_START.match(text)
            if started and (started.group(1) == "!--" or started.group(1).lower() in BLOCK_TAGS):
                html_until = _html_end(all_lines, offset)
        if offset <= html_until:
            yield Line(number, text, False, False, True)
            previous_blank, previous_code = blank, False
            continue
        indented = text.startswith(("    ", "\t")) and not blank
        is_code = indented and (previous_blank or previous_code)
        yield Line(number, text, is_code)
        previous_code = is_code or (previous_code and blank)
        previous_blank = blank


def strip_inline_code(text: str) -> str:
    """The line with `inline code` spans blanked out (a run of backticks closes at the next run as long)."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    out = list(text)
    position = dict.fromkeys(by_length, 0)
    index = 0
    while index < len(runs):
        start, end = runs[index]
        length = end - start
        candidates = by_length[length]
        while position[length] < len(candidates) and candidates[position[length]] <= index:
            position[length] += 1
        if position[length] < len(candidates):
            closer = candidates[position[length]]
            for i in range(start, runs[closer][1]):
                out[i] = " "
            index = closer + 1
        else:
            index += 1
    return "".join(out)


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
        if line.code or line.html:
            continue
        atx = _ATX.match(line.text)
        if atx:
            text = re.sub(r"[ \t]*#*[ \t]*$", "", atx.group(2)).strip()
            yield Heading(line.number, len(atx.group(1)), text)
            continue
        block_start = index == 0 or items[index - 1].text.strip() == ""
        following = items[index + 1] if index + 1 < len(items) else None
        if block_start and line.text.strip() and following is not None and not (following.code or following.html):
            underline = _SETEXT.match(items[index + 1].text)
            if underline:
                level = 1 if underline.group(1).startswith("=") else 2
                yield Heading(line.number, level, line.text.strip(), setext=True)
