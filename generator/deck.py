"""The student-led conference deck: built-in slides, grade defaults, the student's own slides (pure).

A student's `conference.md` may choose and order the slides (front matter
`slides:`) and add their own slides in its body, separated by lines of `---`.
Each own slide starts with a heading; a line `Notes:` starts its speaker notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.markdown_lines import headings, lines

CONFERENCE = "conference.md"  # the file in a student's folder that shapes their deck
BUILT_IN = {
    "title": "Title",
    "about": "Who I am",
    "self-exploration": "Exploring who I am",
    "career-exploration": "Exploring careers",
    "career-planning": "Planning my path",
    "high-school": "My move to high school",
    "postsecondary": "After high school",
    "goals": "My goals this year",
    "barriers": "Barriers and what worked",
    "evidence": "My work",
    "next-year": "Next year",
    "questions": "Questions",
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
_NOTES = re.compile(r"^Notes?:\s*(.*)$", re.I)


@dataclass(frozen=True)
class OwnSlide:
    id: str
    title: str
    body: str  # Markdown, without the heading and the notes
    notes: str  # Markdown
    line: int  # the file line where the slide starts


def default_deck(grade: int | None) -> tuple[str, ...]:
    if grade == 8 or grade == 12:
        return DEFAULT_DECKS[grade]
    return DEFAULT_DECKS["middle" if grade is not None and grade < 8 else "high"]


def slug(text: str) -> str:
    """A heading's slide id: its `{: #id }` if it has one, else its words in lowercase with hyphens."""
    attrs = re.search(r"\{:?([^}]*)\}\s*$", text)
    explicit = re.search(r"(?:^|\s)#([A-Za-z0-9_-]+)", attrs.group(1)) if attrs else None
    if explicit:
        return explicit.group(1).lower()
    text = re.sub(r"\{:?[^}]*\}\s*$", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "slide"


def split_slides(body: str, first_line: int) -> list[tuple[int, str]]:
    """(first file line, Markdown) of each part between lines of '---' outside code."""
    parts: list[tuple[int, list[str]]] = [(first_line, [])]
    previous_blank = True
    for line in lines(body, first_line):
        # After a line of text, '---' underlines a heading (as Python-Markdown reads it), so a
        # separator needs a blank line (or the start) before it.
        if not line.code and not line.html and line.text.strip() == "---" and previous_blank:
            parts.append((line.number + 1, []))
        else:
            parts[-1][1].append(line.text)
        previous_blank = line.text.strip() == ""
    return [(start, "\n".join(texts)) for start, texts in parts if "\n".join(texts).strip()]


def own_slides(body: str, first_line: int) -> tuple[list[OwnSlide], list[tuple[int, str]]]:
    """The student's slides, and (line, problem) for the parts that are not slides."""
    slides: list[OwnSlide] = []
    problems: list[tuple[int, str]] = []
    for start, text in split_slides(body, first_line):
        found = next(iter(headings(text, start)), None)
        rows = text.split("\n")
        if found is None or any(r.strip() for r in rows[: found.number - start]):
            first = start + next(i for i, r in enumerate(rows) if r.strip())
            problems.append((first, "a slide must start with a heading, such as '## My robot'"))
            continue
        rest = rows[found.number - start + (2 if found.setext else 1) :]
        notes_at = next((i for i, r in enumerate(rest) if _NOTES.match(r)), None)
        content = rest if notes_at is None else rest[:notes_at]
        notes = [] if notes_at is None else [_NOTES.match(rest[notes_at]).group(1), *rest[notes_at + 1 :]]  # type: ignore[union-attr]
        title = re.sub(r"\s*\{:?[^}]*\}\s*$", "", found.text).strip()
        slides.append(OwnSlide(slug(found.text), title, "\n".join(content).strip(), "\n".join(notes).strip(), start))
    return slides, problems


def slide_order(chosen: list[str] | None, own: list[OwnSlide], grade: int | None) -> list[str]:
    """The ids of the slides, in order."""
    if chosen:
        return list(chosen)
    return [*default_deck(grade), *(s.id for s in own if s.id not in BUILT_IN)]


def strip_notes(body: str) -> str:
    """The slides without their speaker notes (a `Notes:` line and everything after it in its slide)."""
    kept = []
    for _, text in split_slides(body, 1):
        rows = text.split("\n")
        cut = next((i for i, row in enumerate(rows) if _NOTES.match(row)), len(rows))
        kept.append("\n".join(rows[:cut]))
    return "\n\n---\n\n".join(kept)
