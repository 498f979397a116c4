"""A site's search index, from what its pages' rendering produced (no page is read again).

The index has MkDocs' search format, which theme/assets/search.js reads with lunr.js: `config` (MkDocs'
search settings, which nothing reads) and `docs`, one entry per page (its title and all its words) and one
per top-level heading (its plain text, `page/#id`, the words under it). The words are the page's own
sections (generator.markdown.html), or, for a page whose HTML came ready (the conference deck) or whose
raw HTML only the sanitizer can read, the words of its sanitized HTML: in the sanitizer's output every
`<` opens a tag and every attribute value is double-quoted, so its text is what lies between tags, and
it holds only what the page shows (no comment, no script, nothing the sanitizer removed).

It is written as `search/search_index.json`, or, for a site opened from disk (which may not fetch JSON),
as the script `search/search_index.js` that sets `window.ilpSearchIndex`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from html import unescape
from pathlib import Path

from generator.markdown.html import Section, section

JSON_INDEX = "search/search_index.json"
SCRIPT_INDEX = "search/search_index.js"
# MkDocs' search plugin settings (its defaults, English): kept so the index reads as MkDocs' own.
CONFIG = {"indexing": "full", "lang": ["en"], "min_search_length": 3, "prebuild_index": False, "separator": r"[\s\-]+"}

_TAG = re.compile(r'<(/?)([a-z][a-z0-9-]*)((?:[^">]|"[^"]*")*)>')
_ID = re.compile(r'\sid="([^"]*)"')
_ALT = re.compile(r'\salt="([^"]*)"')
_HEADING = frozenset(f"h{n}" for n in range(1, 7))
# Elements that do not separate words (`<strong>wo</strong>rd` is one word); any other tag does.
_INLINE = re.compile(
    r"a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var"
)


def html_sections(html: str, idents: Collection[str] = ()) -> tuple[Section, ...]:
    """The words of sanitized HTML by section: a new one at each heading whose id is one of `idents`.

    Images count with their descriptions, as the rendering's own sections count them.
    """
    found: list[Section] = []
    ident, title = "", ""
    words: list[str] = []
    heading: list[str] | None = None  # the words of the section heading being read
    position = 0
    for tag in _TAG.finditer(html):
        (words if heading is None else heading).append(unescape(html[position : tag.start()]))
        position = tag.end()
        closing, name, attributes = tag.groups()
        if name in _HEADING and not closing:
            found_id = _ID.search(attributes)
            if found_id is not None and unescape(found_id[1]) in idents:
                found += section(ident, title, "".join(words))
                ident, words, heading = unescape(found_id[1]), [], []
        elif name in _HEADING and heading is not None:
            title, heading = " ".join("".join(heading).split()), None
        elif name == "img" and (alt := _ALT.search(attributes)) is not None:
            (words if heading is None else heading).append(f" {unescape(alt[1])} ")
        else:
            (words if heading is None else heading).append("" if _INLINE.fullmatch(name) else " ")
    words.append(unescape(html[position:]))
    found += section(ident, title, "".join(words))
    return tuple(found)


def entries(title: str, location: str, sections: Iterable[Section]) -> list[dict[str, str]]:
    """A page's index entries: the page with all its words, then each top-level heading with its own."""
    parts = list(sections)
    text = " ".join(w for s in parts for w in (s.title, s.text) if w)
    docs = [{"location": location, "text": text, "title": title}]
    docs += [{"location": f"{location}#{s.ident}", "text": s.text, "title": s.title} for s in parts if s.ident]
    return docs


def write(site_dir: Path, docs: list[dict[str, str]], script: bool) -> str:
    """Write the index into the site (JSON, or the script for a site opened from disk); returns its path."""
    data = {"config": CONFIG, "docs": docs}
    name = SCRIPT_INDEX if script else JSON_INDEX
    target = site_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if script:
        text = json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
        target.write_text(f"window.ilpSearchIndex = {text};\n", encoding="utf-8")
    else:
        target.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    return name
