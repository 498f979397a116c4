"""Tokens -> HTML, a table of contents and a title (pure).

Headings get ids (an attribute list's `#id`, else a slug of their words, made
unique in the page); links and images pass a policy that may unlink a link or
drop an image; the text of headings comes out as plain text, so that a title,
a navigation label or a table of contents never carries markup or a comment.

Asked for them, the rendering also gives the page's words by section (for the search index), read
from the same tokens it renders: what the page shows, never a comment or raw HTML's markup. Where
the page holds raw HTML whose words only the sanitizer can tell (an HTML block with text in it, an
element whose content the browser does not read as markup, a tag left open), it says so instead
(`sections` is None), and the site stage reads the words from the sanitized page.

`RenderMemo` keeps renderings whose result depends on a link oracle (url -> the URL the page
writes, or None) with the oracle's answers: the same page text rendered for another audience is
reused wherever the oracle answers the same, so the output is what rendering it again would give.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from markdown_it.token import Token

from generator.markdown.document import Document, parse
from generator.markdown.parser import copy_token, render
from generator.markdown.text import clean_text

# (url, is_image) -> keep the link or image as it is?
Policy = Callable[[str, bool], bool]
# url -> the URL as the page writes it, or None where the link or image goes (the site stage's rewriting)
Oracle = Callable[[str], str | None]
T = TypeVar("T")


@dataclass(frozen=True)
class TocEntry:
    level: int
    ident: str
    title: str  # plain text


@dataclass(frozen=True)
class Section:
    """The words of a page under one top-level heading (`ident` '': before the first), for search."""

    ident: str
    title: str  # the heading's plain text
    text: str


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[TocEntry, ...]
    title: str  # the plain text of the first level-1 heading, or ''
    # The page's words by section, when asked for (`sections=True`) and the tokens tell them exactly.
    sections: tuple[Section, ...] | None = None


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
    """Links and images through the policy; an image's description as plain text (no markup, no comment).

    Where that changes nothing (no image, every link kept), the list given is returned, not a copy of it."""
    if policy is None:
        policy = _keep_all
    out: list[Token] = []
    unlinked: list[bool] = []  # per open link: was it unlinked?
    for token in children:
        if token.type == "image":
            alt = Token("text", "", 0, content=plain_text(token.children))
            token = copy_token(token, children=[alt], content=alt.content)
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
    if len(out) == len(children) and all(kept is given for kept, given in zip(out, children, strict=True)):
        return children
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
                cell = copy_token(cell, tag="td")
            out.append(cell)
        index = end + 1
    return out


def _empty_cell(head: list[Token], position: int) -> bool:
    """Whether the header cell that opens or closes at `position` has no words."""
    inline = head[position + 1] if head[position].type == "th_open" else head[position - 1]
    return inline.type == "inline" and not inline.content.strip()


def render_tokens(tokens: list[Token], policy: Policy | None = None, sections: bool = False) -> Rendered:
    tokens = _table_headers(tokens)
    used: set[str] = set()
    suffixes: dict[str, int] = {}  # the last suffix tried for each base id: linear for many alike headings
    toc: list[TocEntry] = []
    title = ""
    out: list[Token] = []
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.children:
            children = _clean_children(token.children, policy)
            if children is not token.children:  # the parsed tokens are shared (memoized): changed on a copy
                token = copy_token(token, children=children)
        elif token.type == "heading_open" and index + 1 < len(tokens):
            words = plain_text(tokens[index + 1].children)
            ident = base = str(token.meta.get("ident") or slug(words))
            while ident in used:
                suffixes[base] = suffixes.get(base, 0) + 1
                ident = f"{base}_{suffixes[base]}"
            used.add(ident)
            token = copy_token(token, attrs={**token.attrs, "id": ident})
            level = int(token.tag[1])
            if token.level == 0:
                toc.append(TocEntry(level, ident, words))
            if level == 1 and not title:
                title = words
        out.append(token)
    return Rendered(render(out, {}), tuple(toc), title, _sections(out) if sections else None)


def render_documents(docs: Iterable[Document], policy: Policy | None = None, sections: bool = False) -> Rendered:
    """The HTML of what the documents keep, one after the other, as one page (with its words, `sections`)."""
    tokens: list[Token] = []
    for doc in docs:
        tokens.extend(doc.tokens_for_render())
    return render_tokens(tokens, policy, sections)


def render_document(doc: Document, policy: Policy | None = None) -> Rendered:
    """The HTML of what the document keeps (without a policy: once per kept set)."""
    if policy is None:
        return doc.memo("html", lambda: render_documents([doc]))
    return render_documents([doc], policy)


def render_markdown(text: str, policy: Policy | None = None) -> Rendered:
    """The HTML of Markdown that the generator wrote (its user strings already escaped)."""
    return render_documents([parse(text)], policy)


# Raw HTML whose words the tokens cannot tell: elements whose content is not markup to a browser (or is
# dropped by the sanitizer, or is foreign content), and anything in an HTML block but whole tags, comments
# and space (its text, or a tag left open that swallows what follows it).
_OPAQUE = re.compile(
    r"<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext|template|svg|math)\b", re.I
)
_TAG_NAME = r"[A-Za-z][A-Za-z0-9-]*"
_ATTRIBUTE = r"""\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_WORDLESS = re.compile(rf"(?:\s|<!--.*?-->|<{_TAG_NAME}(?:{_ATTRIBUTE})*\s*/?>|</{_TAG_NAME}\s*>)*", re.S)


def _sections(tokens: list[Token]) -> tuple[Section, ...] | None:
    """The words the rendered tokens show, by top-level heading; None where raw HTML hides which they are."""
    if any(_opaque(token) for token in tokens):
        return None
    found: list[Section] = []
    ident, title = "", ""
    words: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0 and index + 1 < len(tokens):
            found += section(ident, title, " ".join(words))
            ident, title, words = str(token.attrGet("id") or ""), plain_text(tokens[index + 1].children), []
            index += 2  # the heading's own words are its title
            continue
        if token.type == "inline":
            words.append(_inline_words(token.children))
        elif token.type in ("fence", "code_block"):
            words.append(token.content)
        index += 1
    found += section(ident, title, " ".join(words))
    return tuple(found)


def _opaque(token: Token) -> bool:
    """Whether the token holds raw HTML whose words only the sanitizer can tell."""
    if token.type == "html_block":
        return bool(_OPAQUE.search(token.content)) or not _WORDLESS.fullmatch(token.content)
    if token.type == "inline":
        return any(c.type == "html_inline" and _OPAQUE.search(c.content) for c in token.children or ())
    return False


def _inline_words(children: Iterable[Token] | None) -> str:
    """The words an inline shows: its text and code, and its images' descriptions (raw HTML is markup only)."""
    parts: list[str] = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(f" {_inline_words(child.children)} ")
    return "".join(parts)


def section(ident: str, title: str, text: str) -> list[Section]:
    """A section with its text on one line (spaces collapsed, as MkDocs' search index writes it); none for
    the text before the first heading where there is none."""
    words = " ".join(text.replace("\u00a0", " ").split())
    return [Section(ident, title, words)] if ident or words else []


class Same:
    """A key part that is one object (compared by identity, kept alive while the key is)."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.obj is self.obj


class RenderMemo(Generic[T]):
    """Results computed with a link oracle, kept by key with every answer the oracle gave (least recently used
    dropped past `size` keys; at most `variants` results a key).

    `get(key, oracle, compute)` returns a kept result of `compute` for `key` whose oracle answers are the
    current oracle's too, else `compute(oracle)`, recording what it asks. A computation that depends only
    on its key and on the oracle's answers thus gives the same result from the memo as computed again.
    """

    def __init__(self, size: int = 2048, variants: int = 4) -> None:
        self.size = size
        self.variants = variants
        self.hits = 0
        self.misses = 0
        self._kept: OrderedDict[Hashable, list[tuple[tuple[tuple[str, str | None], ...], Any]]] = OrderedDict()

    def get(self, key: Hashable, oracle: Oracle, compute: Callable[[Oracle], T]) -> T:
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            for answers, result in kept:
                if all(oracle(url) == answer for url, answer in answers):
                    self.hits += 1
                    return result  # type: ignore[no-any-return]
        self.misses += 1
        asked: dict[str, str | None] = {}

        def recording(url: str) -> str | None:
            if url not in asked:
                asked[url] = oracle(url)
            return asked[url]

        result = compute(recording)
        if kept is None:
            kept = self._kept[key] = []
            if len(self._kept) > self.size:
                self._kept.popitem(last=False)
        kept.insert(0, (tuple(asked.items()), result))
        del kept[self.variants :]
        return result
