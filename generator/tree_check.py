"""A second opinion on heading markers, from Python-Markdown's own parse (pure).

`visibility.filter_body` reads Markdown line by line. Where it could read a line
differently from Python-Markdown (a table row that starts with '#', raw HTML,
odd fences), this module asks Python-Markdown itself: it parses the whole page,
finds the headings that carry a `visibility` attribute, and collects the text of
every top-level block the audience may not see. If any of that text survives
the line filter, the two readings disagree and the page is refused: when in
doubt, do not show.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from xml.etree import ElementTree

import markdown
from markdown.treeprocessors import Treeprocessor

from generator.visibility import words

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "def_list", "abbr", "footnotes"]


class _Collect(Treeprocessor):
    """Keeps the parsed tree of the last document (after attr_list has set the attributes)."""

    root: ElementTree.Element | None = None

    def run(self, root: ElementTree.Element) -> None:
        self.root = root


@cache
def _parser() -> tuple[markdown.Markdown, _Collect]:
    md = markdown.Markdown(extensions=EXTENSIONS)
    collect = _Collect(md)
    md.treeprocessors.register(collect, "ilp-collect", 1)
    return md, collect


def _texts(element: ElementTree.Element) -> list[str]:
    """The pieces of text in an element (each cell, item, paragraph apart), raw HTML included."""
    md, _ = _parser()
    pieces: list[str] = []
    for piece in element.itertext():
        # Raw HTML sits in Python-Markdown's stash until the end: look it up so it is compared too.
        for index, chunk in enumerate(md.htmlStash.rawHtmlBlocks):
            piece = piece.replace(f"\x02wzxhzdk:{index}\x03", " " + re.sub(r"<[^>]*>", " ", str(chunk)) + " ")
        pieces.extend(p for p in re.split(r"\n\s*\n", piece) if p.strip())
    return pieces


def hidden_texts(body: str, default: tuple[str, ...], can_see: Callable[[tuple[str, ...]], bool]) -> list[str]:
    """The text of each top-level block that, as Python-Markdown reads the page, the audience may not see."""
    md, collect = _parser()
    md.reset()
    md.convert(body)
    root = collect.root
    if root is None:
        return []
    stack: list[tuple[int, tuple[str, ...]]] = []
    current = default
    hidden: list[str] = []
    for element in list(root):
        level = HEADINGS.get(element.tag)
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else default
            own = element.get("visibility")
            current = words(own) if own is not None else parent
            stack.append((level, current))
        if not can_see(current):
            hidden.extend(_texts(element))
    return hidden


def _normal(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text).strip().lower()


def agrees(body: str, filtered: str, default: tuple[str, ...], can_see: Callable[[tuple[str, ...]], bool]) -> bool:
    """Whether the line filter's result keeps nothing that Python-Markdown's reading hides."""
    kept = _normal(" ".join(filtered.split()))
    for text in hidden_texts(body, default, can_see):
        snippet = _normal(text)
        # Short, common pieces ("Community:") can stand in a shared part too; disagreements leak more.
        if (len(snippet) >= 16 or snippet.count(" ") >= 2) and snippet in kept:
            return False
    return True
