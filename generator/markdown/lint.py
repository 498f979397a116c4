"""Where the parser reads a page differently from what its writer most likely meant (pure).

Each finding is a (line, message) pair; `ilp check` reports them. They are read on the parser's
own tokens, so the message always says what the page really shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.markdown.document import Document
from generator.markdown.parser import MAX_DEPTH, markdown_it

MD_IN_HTML = re.compile(r"""\bmarkdown\s*=\s*["']?(1|block|span)""", re.I)
OPEN_COMMENT = (
    "this comment is not closed before the end of its paragraph, so its words show on the page; "
    "close it with '-->' before the next blank line, or start it at the beginning of a line"
)
MARKDOWN_IN_HTML = (
    "Markdown inside an HTML block shows as plain text; leave a blank line after the opening tag, "
    "or write the part in Markdown without the HTML"
)
TOO_DEEP = (
    f"lists or quotes are nested more than {MAX_DEPTH // 2} deep here; the page cannot be read safely "
    "past this point: nest them less deeply"
)


def open_comments(doc: Document) -> Iterator[int]:
    """Lines where '<!--' starts a comment that the parser shows as text (it does not close in its paragraph)."""
    for token in doc.tokens:
        if token.type != "inline" or "<!--" not in token.content or not token.map:
            continue
        line = doc.first_line + token.map[0]
        for child in markdown_it().parseInline(token.content)[0].children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "text" and "<!--" in child.content:
                yield line
                break


def errors(doc: Document) -> Iterator[tuple[int, str]]:
    if doc.too_deep is not None:
        yield doc.too_deep, TOO_DEEP
    for line in open_comments(doc):
        yield line, OPEN_COMMENT


def warnings(doc: Document) -> Iterator[tuple[int, str]]:
    for block in doc.blocks:
        if block.kind == "html_block" and MD_IN_HTML.search(doc.tokens[block.start].content):
            yield block.first_line, MARKDOWN_IN_HTML
