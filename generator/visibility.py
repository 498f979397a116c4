"""Visibility values and heading markers (pure).

A visibility value is a word, several words separated by spaces or commas, or
a list of words: `private`, or audience names from the configuration. A
heading marker is an attribute list at the end of a heading:

    ## My barriers {: visibility="family advisory" }

This module parses and checks them. Unknown words are errors, never a share.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.errors import did_you_mean, expected
from generator.markdown_lines import headings, lines, strip_inline_code

_ATTR_LIST = re.compile(r"\{:?[ \t]*((?:[^}\"']|\"[^\"]*\"|'[^']*')*)\}[ \t]*$")
_ATTR_TOKEN = re.compile(r"""([A-Za-z_][\w:-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"']+))|([.#][\w-]+)|(\S+)""")
HEADING_ATTRIBUTES = ("visibility",)
_MARKER_LIKE = re.compile(r"visib\w*\s*=", re.I)
PRIVATE = "private"


def words(value: Any) -> tuple[str, ...]:
    """The words of a visibility value: a string or a list of strings."""
    parts = value if isinstance(value, list) else [value]
    found: list[str] = []
    for part in parts:
        found.extend(w for w in re.split(r"[\s,]+", str(part)) if w)
    return tuple(found)


def unknown_words(value: Any, allowed: tuple[str, ...]) -> list[str]:
    """Messages for a visibility value that is not allowed: unknown words, nothing, or 'private' with others."""
    found = words(value)
    if not found:
        return ["empty visibility; name who may see it, or write 'private'"]
    problems = [
        f"unknown visibility '{word}'{did_you_mean(word, allowed)} {expected(allowed)}"
        for word in found
        if word not in allowed
    ]
    if PRIVATE in found and len(set(found)) > 1:
        problems.append("'private' cannot be combined with audiences; write either 'private' or the audiences")
    return problems


@dataclass(frozen=True)
class Marker:
    line: int
    level: int
    visibility: tuple[str, ...] | None  # None: the heading has no visibility attribute
    problems: tuple[str, ...]


MALFORMED = (
    "cannot read the visibility marker; write it at the very end of the heading, "
    "such as '## My plan {: visibility=\"family\" }'"
)


def _attributes(attr_text: str) -> tuple[dict[str, str], list[str]]:
    attrs: dict[str, str] = {}
    problems: list[str] = []
    for match in _ATTR_TOKEN.finditer(attr_text):
        key, dq, sq, bare, short, junk = match.groups()
        if key:
            if key not in HEADING_ATTRIBUTES:
                problems.append(
                    f"unknown attribute '{key}' in heading marker{did_you_mean(key, HEADING_ATTRIBUTES)}; "
                    'use {: visibility="..." }'
                )
            if key in attrs:
                problems.append(f"'{key}' is given twice in one heading marker; give it once")
            attrs[key] = next(v for v in (dq, sq, bare) if v is not None)
        elif junk and not short:
            problems.append(f"cannot read '{junk}' in heading marker; write it as {{: visibility=\"family\" }}")
    return attrs, problems


def heading_visibility(text: str) -> tuple[tuple[str, ...] | None, list[str]]:
    """A heading's own visibility (None: it has none) and the problems of its marker.

    A heading that mentions visibility but whose marker cannot be read has problems, and its
    visibility is 'private': when in doubt, do not show.
    """
    found = _ATTR_LIST.search(text)
    attrs, problems = _attributes(found.group(1)) if found else ({}, [])
    rest = text[: found.start()] if found else text
    mentions = bool(_MARKER_LIKE.search(text))
    if mentions and ("visibility" not in attrs or _MARKER_LIKE.search(rest) or problems):
        return (PRIVATE,), problems or [MALFORMED]
    if "visibility" not in attrs:
        return None, problems
    return words(attrs["visibility"]), problems


def markers(body: str, first_line: int, allowed: tuple[str, ...]) -> Iterator[Marker]:
    """Every heading that carries an attribute list, and its problems; misplaced markers too."""
    heading_lines = set()
    for heading in headings(body, first_line):
        heading_lines.add(heading.number)
        visibility, problems = heading_visibility(heading.text)
        if visibility is None and not problems:
            continue
        if visibility is not None and not problems:
            problems.extend(unknown_words(list(visibility), allowed))
        yield Marker(heading.number, heading.level, visibility, tuple(problems))
    for line in lines(body, first_line):
        if line.fenced or line.number in heading_lines or not _MARKER_LIKE.search(line.text):
            continue
        if line.code:
            problem = (
                "an indented line with a visibility marker; start the heading at the beginning of the line, "
                "or show examples in a fenced code block (```)"
            )
        elif line.html:
            problem = "a visibility marker inside a block of HTML does not work; put it on a Markdown heading"
        elif _MARKER_LIKE.search(strip_inline_code(line.text)):
            problem = "a visibility marker works only at the end of a heading line, such as '## My plan {: visibility=\"family\" }'"
        else:
            continue
        yield Marker(line.number, 0, None, (problem,))


# --- Filtering: what one audience may see -------------------------------------------------------


def sees(audience: str, value: tuple[str, ...], full_access: tuple[str, ...], everyone: str) -> bool:
    """Whether `audience` may see something whose visibility words are `value`."""
    if audience in full_access:
        return True
    if PRIVATE in value:  # 'private' with other words is an error; when in doubt, do not show
        return False
    return audience in value or everyone in value


def strip_marker(text: str) -> str:
    """A heading line without its visibility attribute (an attribute list left empty goes too)."""
    found = _ATTR_LIST.search(text)
    if not found:
        return text
    rest = re.sub(r"""\bvisibility=(?:"[^"]*"|'[^']*'|[^\s"'}]+)""", "", found.group(1)).strip()
    replacement = f"{{: {rest} }}" if rest else ""
    return (text[: found.start()].rstrip() + (" " + replacement if replacement else "")).rstrip()


def filter_body(body: str, default: tuple[str, ...], can_see: Callable[[tuple[str, ...]], bool]) -> str:
    """The body with every heading section the audience may not see removed, and markers stripped.

    A heading marker covers its heading and everything under it up to the next heading of the
    same or a higher level; a heading without a marker takes the visibility of the section it is
    in; the page's own visibility (`default`) applies before the first marker.
    """
    by_line = {h.number: h for h in headings(body, 1)}
    stack: list[tuple[int, tuple[str, ...]]] = []
    current = default
    kept: list[str] = []
    for line in lines(body, 1):
        text = line.text
        heading = by_line.get(line.number)
        if heading is not None:
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            parent = stack[-1][1] if stack else default
            own, _ = heading_visibility(heading.text)
            current = own if own is not None else parent
            stack.append((heading.level, current))
            text = strip_marker(text)
        if can_see(current):
            kept.append(text)
    return "\n".join(kept)


def has_visible_section(body: str, default: tuple[str, ...], can_see: Callable[[tuple[str, ...]], bool]) -> bool:
    """Whether any part of the body is visible (a marker can share a part of a page that is not shared)."""
    return bool(filter_body(body, default, can_see).strip())


def drop_sections(body: str, hidden: Callable[[str], bool]) -> str:
    """The body without the sections whose heading text `hidden` picks (heading and everything under it)."""
    by_line = {h.number: h for h in headings(body, 1)}
    cut_level: int | None = None
    kept: list[str] = []
    for line in lines(body, 1):
        heading = by_line.get(line.number)
        if heading is not None:
            if cut_level is not None and heading.level <= cut_level:
                cut_level = None
            if cut_level is None and hidden(heading.text):
                cut_level = heading.level
        if cut_level is None:
            kept.append(line.text)
    return "\n".join(kept)
