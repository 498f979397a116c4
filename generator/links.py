"""Links and images in Markdown bodies, and where they lead (pure).

A student's page may link to its own folder's pages and artifacts, to web
pages (http, https) and to mail addresses; images must be files in the
student's own folder, so that no page loads anything from another host.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from urllib.parse import unquote

import markdown

from generator.markdown_lines import LONGEST_LINE, lines, strip_inline_code

_INLINE = re.compile(
    r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_IMAGE = re.compile(r"!\[[^\[\]]*\]\(\s*(<[^>]*>|[^)\s]+)")
_REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
_HTML_ATTR = re.compile(
    r"\b(src|href|srcset|poster|data|action|formaction|background|ping)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I
)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
LINK_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass(frozen=True)
class Link:
    line: int
    target: str
    image: bool


def links(body: str, first_line: int) -> Iterator[Link]:
    """Every link and image target outside code, with its line."""
    in_comment = False
    for line in lines(body, first_line):
        if line.code or len(line.text) > LONGEST_LINE:
            continue
        text = strip_inline_code(line.text)
        text, in_comment = _without_comments(text, in_comment)
        taken: set[int] = set()
        for match in _INLINE.finditer(text):
            taken.add(match.start())
            yield Link(line.number, match.group(2).strip("<>"), match.group(1) == "!")
        for match in _IMAGE.finditer(text):  # an image inside a link's text
            if match.start() not in taken:
                yield Link(line.number, match.group(1).strip("<>"), True)
        reference = _REFERENCE_DEF.match(text)
        if reference:
            yield Link(line.number, reference.group(1).strip("<>"), False)
        for match in _HTML_ATTR.finditer(text):
            attribute = match.group(1).lower()
            value = match.group(2).strip("\"'")
            yield Link(line.number, value, attribute not in ("href", "action", "formaction", "ping"))


def _without_comments(text: str, in_comment: bool) -> tuple[str, bool]:
    """The line without HTML comments (which may span lines), and whether a comment stays open."""
    out = ""
    while text:
        if in_comment:
            end = text.find("-->")
            if end < 0:
                return out, True
            text, in_comment = text[end + 3 :], False
        else:
            start = text.find("<!--")
            if start < 0:
                return out + text, False
            out, text, in_comment = out + text[:start], text[start + 4 :], True
    return out, in_comment


# Python-Markdown's extensions, as the site builder uses them (check and build read Markdown alike).
MARKDOWN_EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "def_list", "abbr", "footnotes"]
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


class _UrlCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, bool]] = []
        self.images: list[tuple[str, str]] = []  # (src, alt)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            values = dict(attrs)
            self.images.append((values.get("src") or "", values.get("alt") or ""))
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                self.found.extend((url.strip("'\" "), True) for url in re.findall(r"url\(([^)]*)\)", value))
            elif name in URL_ATTRIBUTES:
                loads = not (tag in LINK_TAGS and name == "href")
                for url in value.split(",") if name == "srcset" else [value]:
                    url = url.strip().split(" ")[0] if name == "srcset" else url.strip()
                    self.found.append((url, loads))

    handle_startendtag = handle_starttag


@cache
def _markdown() -> markdown.Markdown:
    # Enough to find every URL as the site will render it: fenced code is code; attribute lists
    # and the other extensions add no URL of their own.
    return markdown.Markdown(extensions=["fenced_code", "attr_list"])


def _collect(body: str) -> _UrlCollector:
    collector = _UrlCollector()
    collector.feed(_markdown().reset().convert(body))
    collector.close()
    return collector


def rendered_urls(body: str) -> list[tuple[str, bool]]:
    """Every URL in the HTML that Python-Markdown makes of `body`, and whether the browser loads it."""
    return _collect(body).found


def rendered_images(body: str) -> list[tuple[str, str]]:
    """(src, alt) of every image in the HTML that Python-Markdown makes of `body`."""
    return _collect(body).images


def resolve(link: Link, page: str, files: frozenset[str]) -> tuple[str | None, str | None]:
    """Where a link leads: (file in the student's folder or None, problem or None).

    `page` and `files` are relative to the student's folder.
    """
    target = link.target.strip()
    if re.search(r"[\x00-\x1f\x7f]", target):
        return (
            None,
            f"link '{target!r}' has a tab, line break or control character in it; write the address on one line",
        )
    scheme = _SCHEME.match(target)
    if scheme:
        name = scheme.group(1).lower()
        if link.image:
            return None, (
                f"image '{target}' is not a file in your folder; save it in artifacts/ and link it from there"
            )
        if name not in LINK_SCHEMES:
            return None, f"links starting with '{name}:' are not allowed {tuple(LINK_SCHEMES)}"
        return None, None
    if target.startswith("//"):
        return None, f"link '{target}' leads to another website; write it with https://"
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None, None  # a link within the page
    if path.startswith("/") or path.startswith("\\"):
        return None, f"link '{target}' is an absolute path; link relative to this page, such as ../artifacts/photo.png"
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path.replace("\\", "/")))
    if resolved == ".." or resolved.startswith("../"):
        return None, f"link '{target}' leads out of your folder; link only to your own pages and artifacts"
    if resolved not in files and not any(f.startswith(resolved + "/") for f in files):
        return None, f"link '{target}' leads to a file that does not exist in your folder"
    if resolved in files and not (resolved.endswith(".md") or resolved.startswith("artifacts/")):
        return None, f"link '{target}' leads to a data file; link only to your pages and to files in artifacts/"
    return resolved, None
