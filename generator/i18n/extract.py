"""The extractor `pybabel extract` reads the generator's Python with (babel.cfg): Python's own parser.

Babel's built-in Python extractor reads tokens, and on Python 3.11 an f-string is one token, so a
`_("Who I am")` inside `f"## {_('Who I am')}"` would be missed. This one walks the syntax tree, where
the calls inside f-strings are calls like any other.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any


def extract(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, str | tuple[str, ...], list[str]]]:
    """Every `_("...")`, `N_("...")` and `ngettext("...", "...", n)` call with literal strings, in order."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    found: list[tuple[int, int, str, str | tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or node.func.id not in keywords:
            continue
        strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if node.func.id == "ngettext" and len(strings) >= 2:
            found.append((node.lineno, node.col_offset, node.func.id, (strings[0], strings[1])))
        elif node.func.id != "ngettext" and strings and isinstance(node.args[0], ast.Constant):
            found.append((node.lineno, node.col_offset, node.func.id, strings[0]))
    for line, _column, name, message in sorted(found, key=lambda f: (f[0], f[1])):
        yield line, name, message, []
