"""Raw documents that remember their lines: what the loading stage hands to the checks (data only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Doc:
    """A parsed YAML document: its value and the line of every key and item."""

    path: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, at: Path_ = ()) -> int:
        """The line of the key or item at `at`, or of its nearest ancestor."""
        at = tuple(at)
        while at and at not in self.lines:
            at = at[:-1]
        return self.lines.get(at, 1)


@dataclass(frozen=True)
class MarkdownFile:
    """A Markdown file split into front matter and body."""

    path: str
    meta: Doc | None
    body: str
    body_line: int  # the file line of the body's first line
