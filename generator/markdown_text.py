"""Text from YAML, made safe to put into generated Markdown (pure)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

_COMMENT = re.compile(r"<!--.*?(-->|$)", re.S)


def inline(text: Any) -> str:
    """One line of YAML text, safe inside Markdown: no raw HTML, no table breaks."""
    value = " ".join(_COMMENT.sub("", str(text)).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", value)


def plain(text: Any) -> str:
    """Text for navigation titles: the theme escapes it."""
    return " ".join(str(text).split())


def block(text: Any) -> str:
    """Multi-line YAML text as Markdown (raw HTML is escaped; Markdown formatting stays)."""
    return _COMMENT.sub("", str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").strip()


def format_date(value: Any) -> str:
    try:
        return datetime.date.fromisoformat(str(value)).strftime("%B %-d, %Y")
    except ValueError:
        return inline(value)


def bullets(items: Iterable[Any]) -> str:
    return "\n".join(f"- {inline(item['text'] if isinstance(item, dict) else item)}" for item in items)
