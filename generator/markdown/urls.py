"""Every URL a rendered document holds, with its file line, as the parser reads it (pure).

Links and images come from the parser's own tokens; URLs in raw HTML (an
`<img src>`, an `<a href>`, a `style` with `url(...)`) come from an HTML parser
run on the HTML the page passes through. Code is code: it holds no URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it.token import Token

from generator.markdown.document import Document
from generator.markdown.html import plain_text, render_document
from generator.sanitize import clean_html

URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "poster",
    "data",
    "action",
    "formaction",
    "background",
    "ping",
    "xlink:href",
    "cite",
    "longdesc",
}
LINK_TAGS = {"a", "area"}


@dataclass(frozen=True)
class Url:
    line: int
    target: str
    image: bool  # the browser loads it (an image, a source, a style): it must be a file of the site
    alt: str = ""  # for images: their description


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, bool, str]] = []  # (line offset, url, loads, alt)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        offset = self.getpos()[0] - 1
        alt = next((v or "" for k, v in attrs if k == "alt"), "") if tag == "img" else ""
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                for url in re.findall(r"url\(([^)]*)\)", value):
                    self.found.append((offset, url.strip("'\" "), True, ""))
            elif name in URL_ATTRIBUTES:
                loads = not (tag in LINK_TAGS and name == "href")
                for url in value.split(",") if name == "srcset" else [value]:
                    url = url.strip().split(" ")[0] if name == "srcset" else url.strip()
                    self.found.append((offset, url, loads, alt))

    handle_startendtag = handle_starttag


def html_urls(html: str, line: int) -> Iterator[Url]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    for offset, url, loads, alt in collector.found:
        yield Url(line + offset, url, loads, alt)


def _inline_urls(token: Token, line: int) -> Iterator[Url]:
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            yield Url(line, str(child.attrGet("href") or ""), False)
        elif child.type == "image":
            yield Url(line, str(child.attrGet("src") or ""), True, plain_text(child.children))
        elif child.type == "html_inline":
            yield from html_urls(child.content, line)
        elif child.type == "text" and "\n" in child.content:
            line += child.content.count("\n")


def _token_urls(doc: Document) -> tuple[list[Url], bool]:
    """The URLs of the document's links, images and raw HTML as written, with their lines; and whether the
    renderer writes URLs of its own (raw HTML, footnote links), which only its HTML holds."""
    found: list[Url] = []
    written = False
    for token in doc.tokens_for_render():
        line = doc.first_line + token.map[0] if token.map else doc.first_line
        if token.type == "inline":
            found.extend(_inline_urls(token, line))
            written = written or any(_writes_urls(child) for child in token.children or ())
        elif token.type == "html_block":
            found.extend(html_urls(token.content, line))
        written = written or _writes_urls(token)
    return found, written


def urls(doc: Document) -> Iterator[Url]:
    """Every link and image URL in what the document keeps, with its line in the file, for `ilp check`.

    Raw HTML is read twice, each URL reported once: as written (a URL in a tag the sanitizer would
    drop is still reported) and as the page is published (`published_urls`), so nothing the page
    shows escapes the check. A page whose HTML holds no URL of the renderer's own (no raw HTML, no
    footnotes) shows only its links' and images' URLs, all reported already: it is not read back.
    """
    found, written = _token_urls(doc)
    seen: set[tuple[str, bool]] = set()
    for url in found:
        seen.add((url.target, url.image))
        yield url
    if not written:
        return
    for target, image in published_urls(doc):
        if (target, image) not in seen:
            seen.add((target, image))
            yield Url(doc.first_line, target, image)


def linked_urls(doc: Document) -> list[tuple[str, bool]]:
    """(url, loads) of the links and images of the page as it is published, for the files they name.

    Where the renderer writes URLs of its own (raw HTML, footnotes), they are read back from the
    published page (`published_urls`). Elsewhere the page's HTML names only its links' and images'
    URLs, so they are taken from its tokens: the published page holds each of them but those the
    sanitizer drops, and it drops none that names a file (a relative URL), the only ones asked for.
    """
    found, written = _token_urls(doc)
    if written:
        return published_urls(doc)
    return [(url.target, url.image) for url in found]


def _writes_urls(token: Token) -> bool:
    """A token whose HTML may hold a URL that is not a link's or an image's: raw HTML, and the footnotes'
    references and back links (`#fn1`), which the renderer makes up."""
    return token.type in ("html_block", "html_inline") or token.type.startswith("footnote")


def published_urls(doc: Document) -> list[tuple[str, bool]]:
    """(url, loads) of every link and image in the page as it is published: rendered, then sanitized.

    This decides which artifacts a view publishes: a file only a comment, a dropped tag or a
    second `src` names is never copied anywhere.
    """

    def collect() -> list[tuple[str, bool]]:
        collector = _Collector()
        collector.feed(clean_html(render_document(doc).html))
        collector.close()
        return [(url, loads) for _, url, loads, _ in collector.found]

    return doc.memo("published_urls", collect)
