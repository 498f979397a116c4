"""Attribute lists at the end of a heading: `## My plan {: visibility="family" #plan .facilitator }` (pure).

The parser reads the heading; this reads only the `{...}` at the end of the
heading's own text, which the parser has already found. A list starts with
`{:`, or holds a `key=value`, `#id` or `.class`; other braces stay text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.errors import did_you_mean

# Matched from a '{' found by scanning back from the end (never `search`: a line of spaces would be quadratic).
_LIST = re.compile(r"\{(:?)[ \t]*((?:[^{}\"'\n]|\"[^\"\n]*\"|'[^'\n]*')*+)\}")
_TRIES = 8
_TOKEN = re.compile(r"""([A-Za-z_][\w:-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"'}]+))|([.#])([\w-]+)|(\S+)""")
KNOWN_KEYS = ("visibility",)


@dataclass(frozen=True)
class Attrs:
    ident: str | None = None
    classes: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    problems: tuple[str, ...] = ()

    def get(self, key: str) -> str | None:
        return next((value for name, value in self.pairs if name == key), None)


def split_attrs(text: str) -> tuple[str, Attrs | None]:
    """The heading text without its trailing attribute list, and the list (None: it has none)."""
    stripped = text.rstrip(" \t")
    if not stripped.endswith("}"):
        return text, None
    found = None
    at = len(stripped)
    for _ in range(_TRIES):
        at = stripped.rfind("{", 0, at)
        if at < 0:
            break
        found = _LIST.fullmatch(stripped, at)
        if found:
            break
    if found is None:
        return text, None
    colon, inner = found.groups()
    tokens = list(_TOKEN.finditer(inner))
    if not colon and not any(t.group(1) or t.group(5) for t in tokens):
        return text, None  # '{braces}' in a heading's words
    ident: str | None = None
    classes: list[str] = []
    pairs: list[tuple[str, str]] = []
    problems: list[str] = []
    for match in tokens:
        key, dq, sq, bare, sigil, name, junk = match.groups()
        if key:
            if key not in KNOWN_KEYS:
                problems.append(
                    f"unknown attribute '{key}' in heading marker{did_you_mean(key, KNOWN_KEYS)}; "
                    'use {: visibility="..." }'
                )
            elif any(k == key for k, _ in pairs):
                problems.append(f"'{key}' is given twice in one heading marker; give it once")
            pairs.append((key, next(v for v in (dq, sq, bare) if v is not None)))
        elif sigil == "#":
            ident = name
        elif sigil == ".":
            classes.append(name)
        elif junk:
            problems.append(f"cannot read '{junk}' in heading marker; write it as {{: visibility=\"family\" }}")
    return stripped[: found.start()].rstrip(), Attrs(ident, tuple(classes), tuple(pairs), tuple(problems))
