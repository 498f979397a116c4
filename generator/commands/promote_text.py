"""Textual edits of YAML files for `ilp promote`: lines are inserted, every other byte is kept.

Each edit finds its place through PyYAML's composed nodes (their marks are character offsets
into the text) and inserts whole lines with the file's own line endings; a file written in a
shape that cannot take an inserted line (a goal on one line, a checklist as a flow list) is an
EditError at its line, never rewritten. The caller parses the result again and compares it with
what the edit meant (see `verified`), so a mistake here can never reach a student's file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_BREAKS = "\r\n\x85\u2028\u2029"
_SPACE = " \t" + _BREAKS
CARRIED_COMMENT = "# unfinished: ilp promote carried it into these school years"


class EditError(Exception):
    """A file ilp promote cannot edit by inserting lines: its 1-based line and what to do."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _compose(text: str) -> MappingNode:
    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(node, MappingNode) or node.flow_style:
        raise EditError(1, "the file is not a block mapping (one 'key: value' a line); write it that way first")
    return node


def _get(mapping: MappingNode, key: str) -> tuple[ScalarNode, Node] | None:
    for key_node, value in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value
    return None


def _newline(text: str) -> str:
    found = _BREAK.search(text)
    return found.group(0) if found else "\n"


def _end(text: str, node: Node) -> int:
    """The offset just after the node's last character that is not white space or a line break."""
    if isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
        children = [c for pair in node.value for c in pair] if isinstance(node, MappingNode) else node.value
        return max(_end(text, child) for child in children)
    end = node.end_mark.index
    while end > node.start_mark.index and text[end - 1] in _SPACE:
        end -= 1
    return end


def _line_end(text: str, offset: int) -> int:
    """The offset after the line break that ends the line holding text[offset - 1]."""
    found = _BREAK.search(text, max(offset, 0))
    return found.end() if found else len(text)


def _insert(text: str, at: int, lines: list[str]) -> str:
    newline = _newline(text)
    block = "".join(line + newline for line in lines)
    if at == len(text) and text and not _BREAK.match(text[-1]):
        block = newline + block
    return text[:at] + block + text[at:]


def mark_carried_over(text: str, index: int, label: str) -> str:
    """goals.yml with `label` added to goal `index`'s carried_over list (lines inserted after its id line)."""
    root = _compose(text)
    goals = _get(root, "goals")
    if goals is None or not isinstance(goals[1], SequenceNode) or index >= len(goals[1].value):
        raise EditError(1, "no goal list to mark")
    goal = goals[1].value[index]
    line = goal.start_mark.line + 1
    if not isinstance(goal, MappingNode) or goal.flow_style:
        raise EditError(
            line, "this goal is written on one line ({...}); write it one key a line so ilp promote can mark it"
        )
    found = _get(goal, "id")
    if found is None:
        raise EditError(line, "this goal has no id")
    id_key, id_value = found
    existing = _get(goal, "carried_over")
    if existing is None:
        pad = " " * id_key.start_mark.column
        lines = [f"{pad}carried_over:  {CARRIED_COMMENT}", f"{pad}  - {json.dumps(label)}"]
        return _insert(text, _line_end(text, _end(text, id_value)), lines)
    key, value = existing
    if isinstance(value, SequenceNode) and not value.flow_style and value.value:
        pad = " " * value.start_mark.column
        return _insert(text, _line_end(text, _end(text, value)), [f"{pad}- {json.dumps(label)}"])
    if isinstance(value, SequenceNode) and value.start_mark.line == value.end_mark.line:
        # A one-line flow list ([] or ["2026-2027"]): the marker's own line, rewritten in place.
        labels = [str(item.value) for item in value.value if isinstance(item, ScalarNode)]
        flow = "[" + ", ".join(json.dumps(item) for item in [*labels, label]) + "]"
        return text[: value.start_mark.index] + flow + text[value.end_mark.index :]
    raise EditError(key.start_mark.line + 1, "carried_over must be a list of school years, one '- YYYY-YYYY' a line")


def append_items(text: str, items: list[tuple[str, str]]) -> str:
    """checklist.yml with `items` ((id, text) pairs) appended to its items list, `done: false`."""
    root = _compose(text)
    found = _get(root, "items")
    if found is None:
        raise EditError(1, "no 'items:' list")
    key, value = found
    if not isinstance(value, SequenceNode):
        raise EditError(key.start_mark.line + 1, "'items:' must be a list")
    if value.flow_style and value.value:
        raise EditError(
            value.start_mark.line + 1,
            "the checklist is written as a flow list [...]; write one '- id: ...' item a line so ilp promote can add items",
        )
    if value.flow_style:
        # An empty list, `items: []` (as ilp new writes it for a grade without a checklist): the `[]` goes.
        start, end = value.start_mark.index, value.end_mark.index
        line_start = start
        while line_start > 0 and text[line_start - 1] not in _BREAKS:
            line_start -= 1
        line_end = _line_end(text, end)
        if not text[line_start:start].strip() and not text[end:line_end].strip():
            text = text[:line_start] + text[line_end:]  # `[]` stood on a line of its own
        else:
            text = text[:start].rstrip(" ") + text[end:]
        at = _line_end(text, key.end_mark.index)
        dash, keys = key.start_mark.column + 2, key.start_mark.column + 4
    else:
        at = _line_end(text, _end(text, value))
        dash = value.start_mark.column
        first = value.value[0]
        keys = first.start_mark.column if isinstance(first, MappingNode) and not first.flow_style else dash + 2
    lines: list[str] = []
    for item_id, item_text in items:
        comment = " ".join(_BREAK.split(item_text)).strip()
        lines.append(f"{' ' * dash}-{' ' * (keys - dash - 1)}id: {item_id}" + (f"  # {comment}" if comment else ""))
        lines.append(f"{' ' * keys}done: false")
    return _insert(text, at, lines)


def set_scalar(text: str, key: str, value: str, comment: str = "") -> str:
    """The file with top-level `key`'s value replaced by `value` (YAML text), or `key: value` appended."""
    root = _compose(text)
    found = _get(root, key)
    if found is None:
        return _insert(text, len(text), [f"{key}: {value}" + (f"  {comment}" if comment else "")])
    key_node, node = found
    if not isinstance(node, ScalarNode) or node.start_mark.line != node.end_mark.line:
        raise EditError(key_node.start_mark.line + 1, f"'{key}' must be a value on its own line")
    return text[: node.start_mark.index] + value + text[node.end_mark.index :]


def verified(path: str, before: str, after: str, meant: Callable[[Any], None]) -> str:
    """`after`, once its parsed value is `before`'s with `meant` applied (else an internal error)."""
    expected = yaml.safe_load(before)
    meant(expected)
    if yaml.safe_load(after) != expected:
        raise EditError(1, f"ilp promote could not edit {path} safely; it was left as it is (please report this)")
    return after
