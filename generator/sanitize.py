"""Sanitizing what students write: HTML through nh3, SVG through an allowlist (pure).

Student Markdown may contain raw HTML. After Markdown is rendered, every page's
HTML goes through nh3 (the Ammonia sanitizer): only an allowlist of tags and
attributes stays, no script, no event handler, no `javascript:` or `data:` URL,
no comment. Relative links may not leave the site they are in. SVG artifacts
are parsed with defusedxml and rebuilt from an allowlist of drawing elements
and attributes, so they cannot carry script or load anything. Once sanitized, every
table stands in a region of its own that scrolls sideways on a narrow screen.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from html import escape, unescape
from urllib.parse import unquote
from xml.etree import ElementTree

import nh3
from defusedxml import ElementTree as SafeElementTree

from generator.i18n import _

TAGS = ({"section"} | set(nh3.ALLOWED_TAGS)) - {
    "area",
    "map",
    "center",
    "strike",
    "acronym",
    "tt",
    "nav",
    "header",
    "footer",
}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start", "type"},
    "time": {"datetime"},
    "abbr": {"title"},
    "section": {"aria-labelledby"},
    "aside": {"aria-label"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _target(url: str, page_dir: str) -> str | None:
    """Where a relative URL leads from `page_dir`: '' for a URL with a scheme or an anchor (always fine),
    None for an absolute path (never fine)."""
    if _SCHEME.match(url) or url.startswith("#"):
        return ""
    if url.startswith(("/", "\\")):
        return None
    path = url.split("#", 1)[0].split("?", 1)[0]
    return posixpath.normpath(posixpath.join(page_dir, path))


def stays_inside(url: str, page_dir: str, allowed_roots: tuple[str, ...]) -> bool:
    """Whether a relative URL from `page_dir` stays under one of `allowed_roots` (paths from the output root)."""
    target = _target(url, page_dir)
    if not target:
        return target == ""
    return any(target == root or target.startswith(root + "/") for root in allowed_roots)


def site_url_ok(url: str, page_dir: str, site_files: frozenset[str], site: str, roots: tuple[str, ...]) -> bool:
    """Whether a relative URL on a page of a site leads to a file of that site (or into `roots`, from the output root).

    `page_dir` and `site_files` are relative to the site; `site` is the site's folder from the output root.
    MkDocs leaves a link to a page it does not have as it was written ('secret.md'): such a link never stays.
    """
    target = _target(url, page_dir)
    if not target:
        return target == ""
    if target == "." or target in site_files or posixpath.join(target, "index.html") in site_files:
        return True
    return bool(roots) and stays_inside(url, posixpath.join(site, page_dir), roots)


def source_target(url: str, src_dir: str) -> str | None:
    """The file a relative URL names, from a page whose source is in `src_dir` (relative to the site),
    or None for a URL with a scheme, an anchor, an absolute path, or one that leaves the site."""
    target = _target(url, src_dir or ".")
    if not target or target == "." or target == ".." or target.startswith("../"):
        return None
    return unquote(target)


def clean_html(html: str, rewrite: Callable[[str], str | None] = lambda url: url) -> str:
    """Sanitized HTML: allowlisted tags and attributes, safe URL schemes; `rewrite` fixes or drops each URL."""

    def check(tag: str, attribute: str, value: str) -> str | None:
        if attribute in ("href", "src") and _CONTROL.search(value):
            return None  # browsers drop tabs and line breaks from URLs: "ht\ttps:" would load from elsewhere
        if attribute in ("href", "src"):
            rewritten = rewrite(value)
            if rewritten is None:
                return None
            value = rewritten
        if attribute == "src" and (_SCHEME.match(value) or value.startswith("//")):
            return None  # an image loads: only from the site itself, never from another host
        return value

    clean = nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
        attribute_filter=check,
        # A code block that scrolls must be reachable by keyboard (WCAG 2.1.1).
        set_tag_attribute_values={"pre": {"tabindex": "0"}},
    )
    return scroll_tables(_EMPTY_HEADER.sub(_plain_cell, clean))


# In nh3's output every tag is lowercase, every attribute value quoted, and `<` and `>` are written as
# `&lt;` and `&gt;` everywhere but in tags: a `<` here always opens a real tag.
_TABLE_TAGS = re.compile(r"<(/?)(table|caption|h[1-6])\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")
_CAPTION = re.compile(r"\s*<caption\b[^>]*>(.*?)</caption>", re.S)
_EMPTY_HEADER = re.compile(r"<th\b([^>]*)>(\s*)</th>")
_SCOPE = re.compile(r'\sscope="[^"]*"')


def _plain_cell(match: re.Match[str]) -> str:
    """An empty header cell as a plain one: a header that names nothing is no header (axe: empty-table-header)."""
    return f"<td{_SCOPE.sub('', match.group(1))}>{match.group(2)}</td>"


def _words(html: str) -> str:
    """The plain text of sanitized inline HTML, on one line."""
    return " ".join(unescape(_ANY_TAG.sub(" ", html)).split())


def scroll_tables(html: str) -> str:
    """Sanitized HTML with every table (but one inside another) in a region that scrolls sideways when the
    table is wider than the screen (WCAG 1.4.10), that the keyboard reaches (2.1.1) and that is named by the
    table's caption, else by the heading it stands under, else "Table" (numbered when a name repeats).

    It runs after sanitizing, so these attributes are never ones a student wrote: the sanitizer still lets
    no `role` or `tabindex` through.
    """
    out: list[str] = []
    names: dict[str, int] = {}
    start = depth = 0
    heading, heading_at = "", -1
    for match in _TABLE_TAGS.finditer(html):
        closing, tag = match.group(1), match.group(2)
        if tag.startswith("h") and depth == 0:
            if not closing:
                heading_at = match.end()
            elif heading_at >= 0:
                heading, heading_at = _words(html[heading_at : match.start()]), -1
        elif tag == "table" and closing and depth > 0:
            depth -= 1
            if depth == 0:
                out.append(html[start : match.end()] + "</div>")
                start = match.end()
        elif tag == "table" and not closing:
            depth += 1
            if depth == 1:
                caption = _CAPTION.match(html, match.end())
                name = (_words(caption.group(1)) if caption else "") or heading or _("Table")
                names[name] = names.get(name, 0) + 1
                if names[name] > 1:
                    name = _("{name}, table {number}").format(name=name, number=names[name])
                out.append(html[start : match.start()])
                out.append(f'<div class="table-scroll" role="region" aria-label="{escape(name)}" tabindex="0">')
                start = match.start()
    out.append(html[start:])
    return "".join(out)


SVG = "http://www.w3.org/2000/svg"
SVG_ELEMENTS = {
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "title",
    "desc",
    "defs",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "pattern",
    "marker",
    "symbol",
}
SVG_ATTRIBUTES = {
    "id",
    "class",
    "width",
    "height",
    "viewBox",
    "preserveAspectRatio",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "d",
    "points",
    "transform",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-dasharray",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "dx",
    "dy",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "patternUnits",
    "clip-path",
    "markerWidth",
    "markerHeight",
    "refX",
    "refY",
    "orient",
    "role",
    "aria-label",
    "aria-hidden",
    "lang",
    "letter-spacing",
    "textLength",
    "version",
}
_LOCAL_URL = re.compile(r"url\(\s*#[\w-]+\s*\)")


class UnsafeSvg(ValueError):
    """An SVG file that cannot be read safely."""


def clean_svg(data: bytes) -> bytes:
    """The SVG rebuilt from allowed elements and attributes only."""
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except Exception as exc:  # defusedxml raises several kinds; every one means "not safe to publish"
        raise UnsafeSvg(f"cannot read the SVG safely: {exc}") from exc
    if root.tag != f"{{{SVG}}}svg":
        raise UnsafeSvg("the file is not an SVG image (its root element is not <svg> in the SVG namespace)")
    clean = _copy(root)
    if clean is None:
        raise UnsafeSvg("the SVG has nothing that can be published")
    ElementTree.register_namespace("", SVG)
    text: bytes = ElementTree.tostring(clean, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def _copy(element: ElementTree.Element) -> ElementTree.Element | None:
    namespace, _, name = element.tag[1:].partition("}") if element.tag.startswith("{") else ("", "", element.tag)
    if namespace != SVG or name not in SVG_ELEMENTS:
        return None
    attributes = {}
    for key, value in element.attrib.items():
        if key in SVG_ATTRIBUTES and ("url(" not in value or _LOCAL_URL.fullmatch(value.strip())):
            attributes[key] = value
    copy = ElementTree.Element(element.tag, attributes)
    copy.text = element.text
    for child in element:
        child_copy = _copy(child)
        if child_copy is not None:
            copy.append(child_copy)
        if child.tail:
            if len(copy):
                copy[-1].tail = (copy[-1].tail or "") + child.tail
            else:
                copy.text = (copy.text or "") + child.tail
    return copy
