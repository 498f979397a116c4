"""Visibility values, heading markers and the filter, decided on the parser's own blocks (pure).

A visibility value is a word, several words separated by spaces or commas, or
a list of words: `private`, or audience names from the configuration. A
heading marker is an attribute list at the end of a top-level heading:

    ## My barriers {: visibility="family advisory" }

It covers its heading and every block after it up to the next heading of the
same or a higher level. Markers nest: a section is visible to an audience only
if it and every enclosing marked section are (the narrower audience wins).
The page's own visibility applies where no marker does. Unknown words are
errors, never a share; a marker the parser does not read as one hides its
block from every audience but the full ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.errors import did_you_mean, expected
from generator.markdown.document import Block, Document, Heading
from generator.markdown.parser import markdown_it

Words = tuple[str, ...]
Chain = tuple[Words, ...]  # the visibility of a section and of every marked section around it
# "visibility=" or "visibility:" anywhere but in a marker (possessive and anchored at a word start: linear).
MARKER_LIKE = re.compile(r"\bvisib\w*+\s*+[=:]", re.I)
# What a marker, and all the filter reads as one, needs in the text: a '{' (an attribute list) or
# the letters of MARKER_LIKE (matched as it matches them). A text with neither holds no marker.
_MAYBE_MARKED = re.compile(r"\{|visib", re.I)
# Audience-like words written as a class (`{: .private }`): a marker meant, not one made.
PRIVATE = "private"
AUDIENCE_LIKE = frozenset({PRIVATE, "student", "educator", "family", "advisory", "public"})
MALFORMED = (
    "cannot read the visibility marker; write it at the very end of the heading, "
    "such as '## My plan {: visibility=\"family\" }'"
)
NESTED = (
    "a visibility marker works only on a heading at the start of a line, outside lists, quotes, "
    "footnotes and definitions; move the heading out, or put the part under its own heading"
)
STRAY = {
    "code_block": (
        "an indented line with a visibility marker; start the heading at the beginning of the line, "
        "or show examples in a fenced code block (```)"
    ),
    "html_block": "a visibility marker inside a block of HTML does not work; put it on a Markdown heading",
    "inline": (
        "a visibility marker works only at the end of a heading line, such as '## My plan {: visibility=\"family\" }'"
    ),
}


def words(value: Any) -> Words:
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


def unmarked(text: str) -> bool:
    """Whether no part of this Markdown can be a marker: the page's own visibility then covers all of it."""
    return _MAYBE_MARKED.search(text) is None


def sees(audience: str, value: Words, full_access: tuple[str, ...], everyone: str) -> bool:
    """Whether `audience` may see something whose visibility words are `value`."""
    if audience in full_access:
        return True
    if PRIVATE in value:  # 'private' with other words is an error; when in doubt, do not show
        return False
    return audience in value or everyone in value


def heading_visibility(heading: Heading) -> tuple[Words | None, list[str]]:
    """A heading's own visibility (None: it has none) and the problems of its marker.

    A heading that mentions visibility but whose marker cannot be read has problems, and its
    visibility is 'private': when in doubt, do not show.
    """
    attrs = heading.attrs
    value = attrs.get("visibility") if attrs is not None else None
    problems = list(attrs.problems) if attrs is not None else []
    classes = [c for c in (attrs.classes if attrs is not None else ()) if c.lower() in AUDIENCE_LIKE]
    if classes and value is None:
        problems.append(f"'.{classes[0]}' is a class, not a visibility; write {{: visibility=\"{classes[0]}\" }}")
    if MARKER_LIKE.search(heading.text) or (value is None and problems):
        return (PRIVATE,), problems or [MALFORMED]
    if value is None:
        return None, problems
    return words(value), problems


# --- Markers that are not where the parser reads them as markers ---------------------------------


def _stray_lines(doc: Document, block: Block) -> Iterator[tuple[int, str]]:
    """(line, problem) for marker-like text in a block that is not a marker (code and fences excepted)."""
    for heading in block.inner_headings:
        own, _ = heading_visibility(heading)
        if own is not None:
            yield heading.line, NESTED
    for token in doc.tokens[block.start : block.end]:
        line = doc.first_line + token.map[0] if token.map else block.first_line
        if token.type in ("code_block", "html_block") and MARKER_LIKE.search(token.content):
            offset = next(i for i, text in enumerate(token.content.split("\n")) if MARKER_LIKE.search(text))
            yield line + offset, STRAY[token.type]
        elif token.type == "inline" and MARKER_LIKE.search(token.content):
            if block.heading is not None and token is doc.tokens[block.start + 1]:
                continue  # the heading's own text: heading_visibility reads it
            if any(h.line == line for h in block.inner_headings):
                continue
            yield from _stray_inline(token.content, line)


def _stray_inline(content: str, line: int) -> Iterator[tuple[int, str]]:
    """Marker-like words in text as the parser reads it: inside `code` they are examples."""
    children = markdown_it().parseInline(content)[0].children or []
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type in ("text", "html_inline") and MARKER_LIKE.search(child.content):
            yield line, STRAY["inline"] if child.type == "text" else STRAY["html_block"]
            return


@dataclass(frozen=True)
class Marker:
    line: int
    level: int  # 0: not a heading marker (a misplaced one)
    visibility: Words | None
    problems: tuple[str, ...]


def _setext_endings(doc: Document) -> Iterator[tuple[int, str]]:
    """(line, problem) for a heading made by an underline that ends a marked section above it."""
    stack: list[tuple[int, int, bool]] = []  # (level, line, marked)
    for block in doc.blocks:
        heading = block.heading
        if heading is None:
            continue
        own, _ = heading_visibility(heading)
        closed = [entry for entry in stack if entry[0] >= heading.level]
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        marked = [line for _, line, has in closed if has]
        if heading.setext and own is None and marked:
            yield (
                heading.line,
                (
                    f"this line is a heading because of the line of '---' or '===' under it, and it ends the section "
                    f"with a visibility marker on line {marked[0]}, so what follows is shared as it was before that "
                    "section; leave a blank line before '---' for a line across the page, or give the heading its own "
                    "marker"
                ),
            )
        stack.append((heading.level, heading.line, own is not None))


def markers(doc: Document, allowed: tuple[str, ...]) -> Iterator[Marker]:
    """Every heading marker of the page with its problems, and every misplaced marker."""
    for line, problem in _setext_endings(doc):
        yield Marker(line, 0, None, (problem,))
    for block in doc.blocks:
        heading = block.heading
        if heading is not None:
            visibility, problems = heading_visibility(heading)
            if visibility is not None or problems:
                if visibility is not None and not problems:
                    problems.extend(unknown_words(list(visibility), allowed))
                yield Marker(heading.line, heading.level, visibility, tuple(problems))
        for line, problem in _stray_lines(doc, block):
            yield Marker(line, 0, None, (problem,))


# --- Filtering: what one audience may see -------------------------------------------------------


def section_chains(doc: Document, default: Words, resets: frozenset[int] = frozenset()) -> dict[int, Chain]:
    """For each block: its own visibility and that of every marked section it is in.

    `resets` are blocks (such as a deck's slide separators) after which sections start afresh.
    """
    stack: list[tuple[int, Chain]] = []
    current: Chain = ()
    chains: dict[int, Chain] = {}
    for block in doc.blocks:
        if block.index in resets:
            stack, current = [], ()
        heading = block.heading
        if heading is not None:
            closed = current
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            parent = stack[-1][1] if stack else ()
            own, _ = heading_visibility(heading)
            current = (*parent, own) if own is not None else parent
            if heading.setext and own is None and len(closed) > len(parent):
                current = closed  # an underline that ends a marked section is an error: keep that section's rule
            stack.append((heading.level, current))
        chains[block.index] = current or (default,)
    return chains


def filter_document(
    doc: Document,
    default: Words,
    can_see: Callable[[Words], bool],
    full: bool = False,
    resets: frozenset[int] = frozenset(),
) -> Document:
    """The document with only the blocks the audience may see (and the `resets`, which hold no text).

    Blocks with a misplaced marker are kept only for the full audiences: when in doubt, do not show.
    """
    if full:
        return doc
    chains = section_chains(doc, default, resets)
    stray = doc.memo("stray-markers", lambda: frozenset(b.index for b in doc.blocks if any(_stray_lines(doc, b))))
    kept = {
        block.index
        for block in doc.blocks
        if block.index in resets or (block.index not in stray and all(can_see(value) for value in chains[block.index]))
    }
    return doc.keep(kept)


def widening(
    doc: Document, default: Words, audiences: tuple[str, ...], sees_: Callable[[str, Words], bool]
) -> Iterator[tuple[int, str]]:
    """(line, warning) where a nested marker names an audience that an enclosing section hides from."""
    stack: list[tuple[int, int, Chain]] = []  # (level, line, chain)
    for block in doc.blocks:
        heading = block.heading
        if heading is None:
            continue
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        parent = stack[-1] if stack else None
        own, _ = heading_visibility(heading)
        chain = (*(parent[2] if parent else ()), *([own] if own is not None else []))
        if own is not None and parent is not None and parent[2]:
            hidden = [a for a in audiences if sees_(a, own) and not all(sees_(a, v) for v in parent[2])]
            if hidden:
                yield (
                    heading.line,
                    (
                        f"this marker shares with {', '.join(hidden)}, but the section it is in (line {parent[1]}) "
                        f"does not; the narrower one wins, so {', '.join(hidden)} will not see it. Move the heading "
                        "out of that section, or share the enclosing section too"
                    ),
                )
        stack.append((heading.level, heading.line, chain))


def drop_sections(doc: Document, hidden: Callable[[Heading], bool]) -> Document:
    """The document without the sections whose heading `hidden` picks (the heading and everything under it)."""
    cut_level: int | None = None
    kept: set[int] = set()
    for block in doc.kept_blocks:
        heading = block.heading
        if heading is not None:
            if cut_level is not None and heading.level <= cut_level:
                cut_level = None
            if cut_level is None and hidden(heading):
                cut_level = heading.level
        if cut_level is None:
            kept.add(block.index)
    return doc.keep(kept)


def is_facilitator(heading: Heading) -> bool:
    """A lesson's facilitator part starts at a heading marked `{: .facilitator }`: educators only."""
    return heading.attrs is not None and "facilitator" in heading.attrs.classes
