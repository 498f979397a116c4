"""Edit YAML text key by key: the keys that change are rewritten, every other byte stays as it was.

A block mapping (a file's top level, or an item of a block list) is cut into one span of lines a
key: from the key's line to the last line of its value. Comment and blank lines between two keys
belong to the key below them, so they stay where they are when the key above changes. An edit
replaces, inserts or removes whole spans; the edits of a file are applied together, from the
original text, so their line numbers never shift under each other.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str) -> Node | None:
    """The node tree of YAML text that is known to parse (the loading stage has read it already)."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def scalar(value: Any, flow: bool = False) -> str:
    """A value written as YAML: plain when it reads back the same, else a double-quoted string."""
    if isinstance(value, bool) or not isinstance(value, str):
        return json.dumps(value)
    if value and value.strip() == value and "\n" not in value:
        probe, wanted = (f"k: [{value}]", {"k": [value]}) if flow else (f"k: {value}", {"k": value})
        try:
            if yaml.safe_load(probe) == wanted:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def render(key: str, value: Any, indent: int) -> list[str]:
    """`key: value` as lines at `indent` (the first line without its indentation): scalars, flow lists
    of scalars, and block lists of mappings whose values are scalars or lists of scalars."""
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        lines = [f"{key}:"]
        for item in value:
            lines.extend(render_item(item, indent + 2))
        return lines
    return [f"{key}: {_inline(value)}"]


def _inline(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v, flow=True) for v in value) + "]"
    return scalar(value)


def render_item(item: Mapping[str, Any], dash: int) -> list[str]:
    """A block list item (`- key: value` and the keys below it), its dash at column `dash`."""
    lines: list[str] = []
    for index, (key, value) in enumerate(item.items()):
        first, *rest = render(key, value, dash + 2)
        lines.append((" " * dash + "- " if index == 0 else " " * (dash + 2)) + first)
        lines.extend(rest)
    return lines


@dataclass(frozen=True)
class Span:
    """The lines of one key of a mapping: [first, end) as 0-based line indexes."""

    key: str
    first: int
    end: int
    column: int
    comment: str  # an inline comment after a one-line value ('  # ...'), or ''


@dataclass
class Edits:
    """Replacements of line ranges of one text, applied together."""

    lines: list[str]
    changes: list[tuple[int, int, int, list[str]]] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> Edits:
        """The text cut at its line feeds only, as YAML counts lines once CR and other breaks are gone."""
        parts = text.split("\n")
        return cls([p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else []))

    def add(self, start: int, end: int, new: list[str]) -> None:
        self.changes.append((start, end, len(self.changes), new))

    def text(self) -> str:
        out: list[str] = []
        at = 0
        for start, end, _, new in sorted(self.changes, key=lambda c: (c[0], c[1] > c[0], c[2])):
            out.extend(self.lines[at:start])
            out.extend(new)
            at = max(at, end)
        out.extend(self.lines[at:])
        return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def _trim(lines: Sequence[str], first: int, end: int, column: int) -> int:
    """`end` moved up over blank lines and comments that sit no deeper than the key (they belong below)."""
    while end > first + 1:
        text = lines[end - 1]
        stripped = text.strip()
        if stripped and not (stripped.startswith("#") and len(text) - len(text.lstrip()) <= column):
            break
        end -= 1
    return end


class MappingText:
    """A block mapping of a text: where each key's lines are, and edits to them."""

    def __init__(self, edits: Edits, node: MappingNode, end: int) -> None:
        self.edits, self.node = edits, node
        lines = edits.lines
        pairs = [(k, v) for k, v in node.value if isinstance(k, ScalarNode)]
        self.spans: dict[str, Span] = {}
        self.values: dict[str, Node] = {}
        for index, (key, value) in enumerate(pairs):
            first = key.start_mark.line
            stop = pairs[index + 1][0].start_mark.line if index + 1 < len(pairs) else end
            stop = _trim(lines, first, stop, key.start_mark.column)
            self.spans[str(key.value)] = Span(
                str(key.value), first, stop, key.start_mark.column, _comment(lines, value)
            )
            self.values[str(key.value)] = value
        self.column = pairs[0][0].start_mark.column if pairs else 0
        self.end = self.spans[str(pairs[-1][0].value)].end if pairs else end

    def replace(self, key: str, value: Any, comment: str | None = None) -> None:
        """Rewrite `key` with `value`; a one-line value keeps its inline comment (or gets `comment` instead)."""
        span = self.spans[key]
        prefix = self.edits.lines[span.first][: span.column]
        first, *rest = render(key, value, span.column)
        note = (comment if comment is not None else span.comment) if span.comment else ""
        if note and not rest:
            first += note
        self.edits.add(span.first, span.end, [prefix + first, *rest])

    def insert(self, key: str, value: Any, after: Iterable[str]) -> None:
        """Add `key` after the first of `after` that the mapping has, else at its end."""
        position = next((self.spans[k].end for k in after if k in self.spans), self.end)
        first, *rest = render(key, value, self.column)
        self.edits.add(position, position, [" " * self.column + first, *rest])

    def remove(self, key: str) -> None:
        span = self.spans[key]
        self.edits.add(span.first, span.end, [])

    def set(self, key: str, value: Any, after: Iterable[str] = ()) -> None:
        if key in self.spans:
            self.replace(key, value)
        else:
            self.insert(key, value, after)


def _comment(lines: Sequence[str], value: Node) -> str:
    """The inline comment after a value that ends on its own line, such as '  # grade 9 in 2026-2027'."""
    if isinstance(value, SequenceNode | MappingNode) and not value.flow_style:
        return ""
    mark = value.end_mark
    if mark.line >= len(lines) or mark.line != value.start_mark.line:
        return ""
    rest = lines[mark.line][mark.column :].rstrip("\n")
    return rest if rest.strip().startswith("#") else ""


def items(edits: Edits, node: SequenceNode, end: int) -> list[MappingText | None]:
    """The items of a block list, as mappings (None for an item that is not a block mapping)."""
    found: list[MappingText | None] = []
    for index, item in enumerate(node.value):
        stop = node.value[index + 1].start_mark.line if index + 1 < len(node.value) else end
        is_block = isinstance(item, MappingNode) and not item.flow_style
        found.append(MappingText(edits, item, stop) if is_block else None)
    return found
