"""The one Markdown parser: markdown-it-py with one configuration, for every page (pure).

CommonMark with GitHub's tables and strikethrough, footnotes and definition
lists (mdit-py-plugins), raw HTML passed through (the site stage sanitizes
it). A page is read in two phases of the same parser: the block phase once per
document, which is what visibility is decided on, and the inline phase on the
blocks one audience keeps, with only the link reference definitions and
footnotes those blocks hold, so nothing defined in a hidden part can be
resolved from a visible one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

# The parser stops reading a page where nesting reaches its limit; ilp check refuses a page that
# nests deeper than MAX_DEPTH, well before that, so nothing is ever silently dropped.
MAX_NESTING = 100
MAX_DEPTH = 40


def _definition(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return ""  # a link reference definition renders as nothing


@cache
def markdown_it() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {
            "html": True,
            "inline_definitions": True,
            "linkify": False,
            "typographer": False,
            "maxNesting": MAX_NESTING,
            # Off, as they are by default; named, because the rules ask for them with `options.get(name, False)`,
            # and a missing name is a KeyError raised and caught every time a list or `~` is read.
            "strikethrough_single_tilde": False,
            "tasklists": False,
            "tasklists_editable": False,
            "alerts": False,
        },
    )
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin, inline=False)
    md.use(deflist_plugin)
    md.add_render_rule("definition", _definition)
    return md


Rule = Callable[[StateCore], None]


@cache
def _phases() -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """The core rules up to and including 'block', and the ones after it."""
    md = markdown_it()
    names = md.core.ruler.get_active_rules()
    rules = md.core.ruler.getRules("")
    split = names.index("block") + 1
    return tuple(rules[:split]), tuple(rules[split:])


def parse_blocks(text: str) -> list[Token]:
    """The block tokens of a document; inline content is not parsed yet."""
    state = StateCore(text, markdown_it(), {})
    for rule in _phases()[0]:
        rule(state)
    return state.tokens


_FIELDS = tuple(field.name for field in dataclasses.fields(Token))


def copy_token(token: Token, **changes: Any) -> Token:
    """`token.copy(**changes)` (a shallow copy, as `dataclasses.replace` makes it), without its generic machinery:
    the inline phase and the renderer copy many tokens."""
    new = Token.__new__(Token)
    for name in _FIELDS:
        setattr(new, name, getattr(token, name))
    for name, value in changes.items():
        setattr(new, name, value)
    if not new.attrs:  # as Token.__post_init__ does: attributes never shared when there are none
        new.attrs = {}
    return new


def finish(tokens: list[Token], env: dict[str, Any]) -> list[Token]:
    """Inline parsing and the footnote list, on copies of the given block tokens."""
    copies = [copy_token(t, children=[]) if t.type == "inline" else t for t in tokens]
    state = StateCore("", markdown_it(), env, copies)
    for rule in _phases()[1]:
        rule(state)
    return state.tokens


def render(tokens: list[Token], env: dict[str, Any]) -> str:
    md = markdown_it()
    return str(md.renderer.render(tokens, md.options, env))
