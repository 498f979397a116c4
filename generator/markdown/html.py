"""Tokens -> HTML, a table of contents and a title (pure).

Headings get ids (an attribute list's `#id`, else a slug of their words, made
unique in the page); links and images pass a policy that may unlink a link or
drop an image; the text of headings comes out as plain text, so that a title,
a navigation label or a table of contents never carries markup or a comment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markdown_it.token import Token

from generator.markdown.document import Document, parse
from generator.markdown.parser import render
from generator.markdown.text import clean_text

# (url, is_image) -> keep the link or image as it is?
Policy = Callable[[str, bool], bool]


@dataclass(frozen=True)
class TocEntry:
    level: int
    ident: str
    title: str  # plain text


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[TocEntry, ...]
    title: str  # the plain text of the first level-1 heading, or ''


def slug(text: str) -> str:
    """A heading's id from its words: lowercase ASCII letters, digits and hyphens."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value) or "section"


def plain_text(children: Iterable[Token] | None) -> str:
    """The words of inline tokens: text, code and image descriptions; raw HTML and comments dropped."""
    parts: list[str] = []
    for token in children or ():
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(plain_text(token.children))
    return clean_text("".join(parts))


def _clean_children(children: list[Token], policy: Policy | None) -> list[Token]:
    """Links and images through the policy; an image's description as plain text (no markup, no comment)."""
    if policy is None:
        policy = _keep_all
    out: list[Token] = []
    unlinked: list[bool] = []  # per open link: was it unlinked?
    for token in children:
        if token.type == "image":
            alt = Token("text", "", 0, content=plain_text(token.children))
            token = token.copy(children=[alt], content=alt.content)
        if token.type == "link_open":
            keep = policy(str(token.attrGet("href") or ""), False)
            unlinked.append(not keep)
            if keep:
                out.append(token)
        elif token.type == "link_close":
            if not (unlinked.pop() if unlinked else False):
                out.append(token)
        elif token.type == "image":
            if policy(str(token.attrGet("src") or ""), True):
                out.append(token)
        else:
            out.append(token)
    return out


def _keep_all(url: str, image: bool) -> bool:
    return True


def _table_headers(tokens: list[Token]) -> list[Token]:
    """Tables' header rows as a reader needs them: a header row without a word (the `| | |` that only
    starts a table of pairs) is left out, and an empty cell of a header row that has words elsewhere (a
    corner) is a plain cell, so no header cell is ever empty (WCAG 1.3.1; axe's empty-table-header)."""
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type != "thead_open":
            out.append(token)
            index += 1
            continue
        end = next(i for i in range(index, len(tokens)) if tokens[i].type == "thead_close")
        head = tokens[index : end + 1]
        cells = [t for t in head if t.type == "inline"]
        has_body = end + 1 < len(tokens) and tokens[end + 1].type == "tbody_open"
        if has_body and not any(cell.content.strip() for cell in cells):
            index = end + 1  # the whole header row goes
            continue
        for position, cell in enumerate(head):
            if cell.type in ("th_open", "th_close") and _empty_cell(head, position):
                cell = cell.copy(tag="td")
            out.append(cell)
        index = end + 1
    return out


def _empty_cell(head: list[Token], position: int) -> bool:
    """Whether the header cell that opens or closes at `position` has no words."""
    inline = head[position + 1] if head[position].type == "th_open" else head[position - 1]
    return inline.type == "inline" and not inline.content.strip()


def render_tokens(tokens: list[Token], policy: Policy | None = None) -> Rendered:
    tokens = _table_headers(tokens)
    used: set[str] = set()
    suffixes: dict[str, int] = {}  # the last suffix tried for each base id: linear for many alike headings
    toc: list[TocEntry] = []
    title = ""
    out: list[Token] = []
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.children:
            token = token.copy(children=_clean_children(token.children, policy))
        elif token.type == "heading_open" and index + 1 < len(tokens):
            words = plain_text(tokens[index + 1].children)
            ident = base = str(token.meta.get("ident") or slug(words))
            while ident in used:
                suffixes[base] = suffixes.get(base, 0) + 1
                ident = f"{base}_{suffixes[base]}"
            used.add(ident)
            token = token.copy(attrs={**token.attrs, "id": ident})
            level = int(token.tag[1])
            if token.level == 0:
                toc.append(TocEntry(level, ident, words))
            if level == 1 and not title:
                title = words
        out.append(token)
    return Rendered(render(out, {}), tuple(toc), title)


def render_documents(docs: Iterable[Document], policy: Policy | None = None) -> Rendered:
    """The HTML of what the documents keep, one after the other, as one page."""
    tokens: list[Token] = []
    for doc in docs:
        tokens.extend(doc.tokens_for_render())
    return render_tokens(tokens, policy)


def render_document(doc: Document, policy: Policy | None = None) -> Rendered:
    """The HTML of what the document keeps (without a policy: once per kept set)."""
    if policy is None:
        return doc.memo("html", lambda: render_documents([doc]))
    return render_documents([doc], policy)


def render_markdown(text: str, policy: Policy | None = None) -> Rendered:
    """The HTML of Markdown that the generator wrote (its user strings already escaped)."""
    return render_documents([parse(text)], policy)
