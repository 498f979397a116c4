"""Text a student wrote, on its way to any output (pure).

`clean_text` is the one function every student-written string passes before it
reaches a page, a title, a navigation label, an alt text, a file label, a deck
or a search entry: HTML comments (closed or not) and tags are removed, control
and invisible formatting characters dropped, whitespace collapsed. `inline`
and `block` then make the clean text safe inside the Markdown the generator
writes; `plain` is clean text for places the theme escapes itself.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from generator import i18n
from generator.i18n import foreign_text

LANG_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # a language code as `lang=` takes it: es, pt-BR
_COMMENT = re.compile(r"<!--.*?(?:-->|$)|<!--", re.S)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<![^<>]*>|<\?[^<>]*>")
# C0 and C1 controls (not tab or line breaks), and invisible format characters (zero-width, bidi).
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)
# Every ASCII punctuation character can be backslash-escaped in CommonMark: escaped, none starts a construct.
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def clean_text(text: Any, lines: bool = False) -> str:
    """The words of a student-written string: no comments, no markup, no invisible characters."""
    value = str(text)
    if "<" in value:  # every comment and tag starts with one
        value = _TAG.sub("", _COMMENT.sub("", value))
    value = _INVISIBLE.sub("", value)
    if lines:
        return "\n".join(" ".join(line.split()) for line in value.strip().split("\n"))
    return " ".join(value.split())


def escape(text: str) -> str:
    """Text that Markdown shows as it is."""
    return _PUNCTUATION.sub(_backslashed, text)


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match.group(0)


def inline(text: Any) -> str:
    """One line of student text, safe inside generated Markdown (marked with its language where the page
    is in another: `<span lang="en">`)."""
    return _marked(escape(clean_text(text)))


def _marked(text: str) -> str:
    lang = foreign_text()
    return f'<span lang="{lang}">{text}</span>' if lang and text.strip() else text


def plain(text: Any) -> str:
    """Student text for navigation labels and titles: the theme escapes it."""
    return clean_text(text)


def block(text: Any) -> str:
    """Multi-line student text as paragraphs: its words shown as written, line breaks kept."""
    paragraphs = re.split(r"\n\s*\n", clean_text(text, lines=True))
    return "\n\n".join(
        _marked("  \n".join(escape(line) for line in p.split("\n") if line)) for p in paragraphs if p.strip()
    )


def format_date(value: Any) -> str:
    """A date as the page's language writes it; a value that is no date, as student text."""
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return inline(value)
    return i18n.format_date(value)


def bullets(items: Iterable[Any]) -> str:
    return "\n".join(f"- {inline(item['text'] if isinstance(item, dict) else item)}" for item in items)


def link_target(path: str) -> str:
    """A file name as a Markdown link destination: spaces, parentheses and brackets percent-encoded."""
    return quote(path, safe="/-._~#")
