"""A Markdown document read once: its blocks with their source lines, headings and attribute lists (pure).

`parse` runs the parser's block phase once. A *block* is one top-level piece
of the page (a paragraph, a heading, a list, a table, an HTML block, a code
block, a link reference definition, a footnote) with the file lines it covers.
Visibility is decided on blocks and their headings; `Document.keep` returns
the same document with fewer blocks, and `Document.tokens_for_render` runs
the inline phase on what is kept, once per kept set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar, cast

from markdown_it.token import Token

from generator.markdown.attrs import Attrs, split_attrs
from generator.markdown.parser import MAX_DEPTH, finish, parse_blocks

T = TypeVar("T")


@dataclass(frozen=True)
class Heading:
    line: int  # the file line of the heading's text
    level: int  # 1 to 6
    text: str  # the heading's Markdown, without its attribute list
    attrs: Attrs | None
    nested: bool  # inside a list, a block quote, a footnote or a definition: never a section heading
    setext: bool = False  # underlined with '===' or '---' rather than started with '#'


@dataclass(frozen=True)
class Block:
    index: int
    kind: str  # the type of its first token: heading_open, paragraph_open, fence, html_block, definition, ...
    start: int  # token range [start, end)
    end: int
    first_line: int  # file lines, inclusive
    last_line: int
    heading: Heading | None  # the block is a top-level heading
    inner_headings: tuple[Heading, ...] = ()  # headings nested inside the block


@dataclass(frozen=True, eq=False)
class Document:
    """A parsed Markdown body (blocks are shared; `kept` says which of them this copy holds)."""

    path: str
    first_line: int  # the file line of the body's first line
    tokens: tuple[Token, ...]
    blocks: tuple[Block, ...]
    kept: frozenset[int] | None = None  # None: every block
    too_deep: int | None = None  # the file line where nesting reaches the parser's limit (it reads no further there)
    _finished: dict[frozenset[int] | None, list[Token]] = field(default_factory=dict, compare=False, repr=False)
    # Results that depend only on the kept blocks (the rendered HTML, the published URLs), by key and kept set.
    _memo: dict[tuple[str, frozenset[int] | None], Any] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()` once per document and kept set."""
        slot = (key, self.kept)
        if slot not in self._memo:
            self._memo[slot] = compute()
        return cast(T, self._memo[slot])

    @property
    def kept_blocks(self) -> tuple[Block, ...]:
        if self.kept is None:
            return self.blocks
        return tuple(b for b in self.blocks if b.index in self.kept)

    def keep(self, indices: frozenset[int] | set[int]) -> Document:
        """The document with only the blocks of `indices` (of those it holds)."""
        held = frozenset(b.index for b in self.kept_blocks)
        kept = frozenset(indices) & held
        # Every block kept is the whole document: one key, so its inline parse is shared.
        return replace(self, kept=None if len(kept) == len(self.blocks) else kept)

    def compact(self) -> Document:
        """A document holding only the kept blocks' tokens: what a view hands on can reach nothing hidden.

        Memoized on the source document, so every audience that keeps the same blocks shares one copy
        (and one inline parse).
        """
        if self.kept is None:
            return self

        def build() -> Document:
            tokens: list[Token] = []
            blocks: list[Block] = []
            for block in self.kept_blocks:
                start = len(tokens)
                tokens.extend(self.tokens[block.start : block.end])
                blocks.append(replace(block, index=len(blocks), start=start, end=len(tokens)))
            return Document(self.path, self.first_line, tuple(tokens), tuple(blocks), too_deep=self.too_deep)

        return self.memo("compact", build)

    def is_empty(self) -> bool:
        return not any(b.kind != "definition" for b in self.kept_blocks)

    def tokens_for_render(self) -> list[Token]:
        """The kept blocks with their inline content parsed, footnotes gathered at the end (memoized)."""
        key = self.kept
        if key not in self._finished:
            block_tokens: list[Token] = []
            for block in self.kept_blocks:
                block_tokens.extend(self.tokens[block.start : block.end])
            self._finished[key] = finish(block_tokens, _env(block_tokens))
        return self._finished[key]


def _env(tokens: list[Token]) -> dict[str, Any]:
    """The link reference definitions and footnote labels that these tokens define, and nothing else."""
    references: dict[str, Any] = {}
    footnote_refs: dict[str, int] = {}
    for token in tokens:
        if token.type == "definition":
            references.setdefault(token.meta["id"], {"href": token.meta["url"], "title": token.meta["title"]})
        elif token.type == "footnote_reference_open":
            footnote_refs[":" + token.meta["label"]] = -1
    env: dict[str, Any] = {"references": references}
    if footnote_refs:
        env["footnotes"] = {"refs": footnote_refs, "list": {}}
    return env


def _heading(tokens: list[Token], at: int, first_line: int, nested: bool) -> Heading:
    """The heading that starts at tokens[at]; its attribute list is taken off its inline content."""
    inline = tokens[at + 1]
    text, attrs = split_attrs(inline.content)
    if attrs is not None:
        inline.content = text  # once, for every audience: an attribute list is never shown
        if attrs.ident:
            tokens[at].meta["ident"] = attrs.ident
        if attrs.classes:
            tokens[at].attrSet("class", " ".join(attrs.classes))
    where = tokens[at].map
    line = first_line + (where[0] if where else 0)
    return Heading(line, int(tokens[at].tag[1]), text, attrs, nested, tokens[at].markup in ("=", "-"))


def parse(text: str, first_line: int = 1, path: str = "") -> Document:
    """Read a Markdown body once (its first line is line `first_line` of the file `path`)."""
    tokens = parse_blocks(text)
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        start = index
        token = tokens[index]
        depth: int = token.nesting
        index += 1
        while depth > 0 and index < len(tokens):
            depth += tokens[index].nesting
            index += 1
        lines = [t.map for t in tokens[start:index] if t.map]
        first = first_line + (lines[0][0] if lines else 0)
        last = first_line + max((m[1] for m in lines), default=1) - 1
        heading = _heading(tokens, start, first_line, False) if token.type == "heading_open" else None
        inner = tuple(
            _heading(tokens, i, first_line, True) for i in range(start + 1, index) if tokens[i].type == "heading_open"
        )
        blocks.append(Block(len(blocks), token.type, start, index, first, max(first, last), heading, inner))
    deep = next((t for t in tokens if t.level > MAX_DEPTH and t.map), None)
    too_deep = first_line + deep.map[0] if deep is not None and deep.map else None
    return Document(path, first_line, tuple(tokens), tuple(blocks), too_deep=too_deep)
