"""The student-led conference deck: built-in slides, grade defaults, the student's own slides (pure).

A student's `conference.md` may choose and order the slides (front matter
`slides:`) and add their own slides in its body, separated by lines of `---`.
Each own slide starts with a heading; a line `Notes:` starts its speaker notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.i18n import N_
from generator.markdown.document import Block, Document
from generator.markdown.html import plain_text

CONFERENCE = "conference.md"  # the file in a student's folder that shapes their deck
BUILT_IN = {  # the built-in slides and their titles (translate with _() where shown)
    "title": N_("Title"),
    "about": N_("Who I am"),
    "self-exploration": N_("Exploring who I am"),
    "career-exploration": N_("Exploring careers"),
    "career-planning": N_("Planning my path"),
    "high-school": N_("My move to high school"),
    "postsecondary": N_("After high school"),
    "goals": N_("My goals this year"),
    "barriers": N_("Barriers and what worked"),
    "evidence": N_("My work"),
    "next-year": N_("Next year"),
    "questions": N_("Questions"),
}
DEFAULT_DECKS = {
    "middle": (
        "title",
        "about",
        "self-exploration",
        "career-exploration",
        "goals",
        "barriers",
        "evidence",
        "next-year",
        "questions",
    ),
    8: ("title", "about", "career-exploration", "high-school", "goals", "barriers", "next-year", "questions"),
    "high": (
        "title",
        "about",
        "career-exploration",
        "career-planning",
        "goals",
        "barriers",
        "evidence",
        "next-year",
        "questions",
    ),
    12: ("title", "about", "postsecondary", "goals", "barriers", "evidence", "next-year", "questions"),
}
_NOTES = re.compile(r"^Notes?:", re.I)


@dataclass(frozen=True)
class OwnSlide:
    id: str
    title: str  # plain text
    body: Document  # the slide's blocks after its heading, without the notes
    notes: Document  # the speaker notes: from a paragraph starting 'Notes:' to the end of the slide
    line: int  # the file line where the slide starts


def default_deck(grade: int | None) -> tuple[str, ...]:
    if grade == 8 or grade == 12:
        return DEFAULT_DECKS[grade]
    return DEFAULT_DECKS["middle" if grade is not None and grade < 8 else "high"]


def slug(text: str) -> str:
    """A slide id from its heading's words: lowercase, with hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "slide"


def separators(doc: Document) -> frozenset[int]:
    """The blocks that separate slides: thematic breaks (a line '---' after a blank line)."""
    return frozenset(b.index for b in doc.blocks if b.kind == "hr")


def slides(doc: Document) -> list[list[Block]]:
    """The kept blocks of each slide, in order (separators left out, empty slides dropped)."""
    parts: list[list[Block]] = [[]]
    for block in doc.kept_blocks:
        if block.kind == "hr":
            parts.append([])
        else:
            parts[-1].append(block)
    return [part for part in parts if any(b.kind != "definition" for b in part)]


def _is_notes(doc: Document, block: Block) -> bool:
    return block.kind == "paragraph_open" and bool(_NOTES.match(doc.tokens[block.start + 1].content))


def notes_blocks(doc: Document) -> frozenset[int]:
    """The blocks of every slide's speaker notes."""
    found: set[int] = set()
    for part in slides(doc):
        at = next((i for i, block in enumerate(part) if _is_notes(doc, block)), None)
        if at is not None:
            found.update(block.index for block in part[at:] if block.kind != "definition")
    return frozenset(found)


def strip_notes(doc: Document) -> Document:
    """The deck without its speaker notes."""
    notes = notes_blocks(doc)
    return doc.keep({b.index for b in doc.kept_blocks if b.index not in notes})


def own_slides(doc: Document) -> tuple[list[OwnSlide], list[tuple[int, str]]]:
    """The student's slides, and (line, problem) for the parts that are not slides."""
    found: list[OwnSlide] = []
    problems: list[tuple[int, str]] = []
    notes = notes_blocks(doc)
    # A link reference definition serves the whole deck (it renders as nothing wherever it stands).
    definitions = {b.index for b in doc.kept_blocks if b.kind == "definition"}
    for part in slides(doc):
        first = part[0]
        if first.heading is None:
            problems.append((first.first_line, "a slide must start with a heading, such as '## My robot'"))
            continue
        title = plain_text(doc.keep({first.index}).tokens_for_render()[1].children)
        attrs = first.heading.attrs
        ident = (attrs.ident.lower() if attrs is not None and attrs.ident else None) or slug(title)
        rest = part[1:]
        body = doc.keep({b.index for b in rest if b.index not in notes} | definitions)
        own_notes = doc.keep({b.index for b in rest if b.index in notes} | definitions)
        found.append(OwnSlide(ident, title, body, own_notes, first.first_line))
    return found, problems


def slide_order(chosen: list[str] | None, own: list[OwnSlide], grade: int | None) -> list[str]:
    """The ids of the slides, in order."""
    if chosen:
        return list(chosen)
    return [*default_deck(grade), *(s.id for s in own if s.id not in BUILT_IN)]
