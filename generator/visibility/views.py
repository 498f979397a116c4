"""Stage 3: a student's ILP x an audience -> what that audience may see (pure).

Everything later (page rendering, navigation, search, sitemap) only ever gets
the view this module returns, so nothing it drops can leak. The rules, most
specific first: a heading marker; a list item's `visibility:`; a page's
front matter; the framework's default for the section (for a data file, the
section the framework's `files:` names for it); otherwise `private`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
from collections.abc import Callable, Iterator
from typing import Any

from generator.config import PRIVATE, Options
from generator.history.record import GoalVersion, Item, PageVersion, Record
from generator.markdown.document import Document
from generator.markdown.html import plain_text
from generator.markdown.links import Link, resolve
from generator.markdown.parser import markdown_it
from generator.markdown.slides import separators, strip_notes
from generator.markdown.urls import linked_urls
from generator.model import Commit, Framework, Page, Student
from generator.model.source import Doc
from generator.visibility.markers import filter_document, sees, unmarked, words

Words = tuple[str, ...]
# Who sees the profile's basics (name, grade, school, about, highlights) unless profile.yml says.
PROFILE_DEFAULT: Words = ("family", "advisory")
# Profile fields that are private unless their own item says otherwise.
SENSITIVE_PROFILE_LISTS = ("supports", "family")
# Profile fields no site ever shows.
NEVER_SHOWN = ("emails", "public_path", "sis_id")
# Shown only to the audiences that see the whole ILP.
FULL_ONLY = ("languages", "joined")
# Data files and the framework section whose default visibility they take.
DEFAULT_FILE_SECTIONS = {
    "goals": "goals",
    "courses": "coursework",
    "experiences": "self-awareness",
    "checklist": "goals",
}


@dataclasses.dataclass(frozen=True)
class Viewer:
    """One audience, and how it decides what it sees."""

    audience: str
    options: Options
    framework: Framework

    @property
    def full(self) -> bool:
        return self.audience in self.options.full_access

    @property
    def sees_notes(self) -> bool:
        """Speaker notes are the student's own: only the student's view shows them."""
        full = self.options.full_access
        return self.audience == ("student" if "student" in full else full[0])

    def can_see(self, value: Words) -> bool:
        return sees(self.audience, value, self.options.full_access, self.options.everyone)

    def item(self, item: Any, default: Words) -> bool:
        """Whether a YAML item (a mapping with an optional `visibility:`) is visible."""
        if isinstance(item, dict) and "visibility" in item:
            return self.can_see(words(item["visibility"]))
        return self.can_see(default)

    def file_default(self, kind: str) -> Words:
        section = self.framework.section(self.framework.files.get(kind, DEFAULT_FILE_SECTIONS[kind]))
        return section.visibility if section is not None else (PRIVATE,)

    def page_default(self, page: Page) -> Words:
        if "visibility" in page.meta:
            return words(page.meta["visibility"])
        return self.section_default(page.section)

    def section_default(self, section_id: str) -> Words:
        section = self.framework.section(section_id)
        return section.visibility if section is not None else (PRIVATE,)


def _strip_visibility(value: Any) -> Any:
    """The item without its `visibility` key: what is visible is rendered, not who may see it."""
    if isinstance(value, dict):
        return {k: _strip_visibility(v) for k, v in value.items() if k != "visibility"}
    if isinstance(value, list):
        return [_strip_visibility(v) for v in value]
    return value


def _keep(items: Any, default: Words, viewer: Viewer) -> list[Any]:
    return [_strip_visibility(i) for i in items or [] if viewer.item(i, default)]


def _goal(goal: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    own = words(goal["visibility"]) if "visibility" in goal else viewer.file_default("goals")
    kept = {k: v for k, v in goal.items() if k not in ("barriers", "strategies", "reviews", "visibility")}
    for key in ("barriers", "strategies", "reviews"):
        if key in goal:
            kept[key] = _keep(goal[key], own, viewer)
    return kept


def _profile(profile: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    basics_words = words(profile["visibility"]) if "visibility" in profile else PROFILE_DEFAULT
    basics = viewer.can_see(basics_words)
    view: dict[str, Any] = {}
    for key, value in profile.items():
        if key in NEVER_SHOWN or key == "visibility":
            continue
        if key in FULL_ONLY:
            if viewer.full:
                view[key] = _strip_visibility(value)
        elif key in SENSITIVE_PROFILE_LISTS:
            kept = _keep(value, (PRIVATE,), viewer)
            if kept:
                view[key] = kept
        elif key == "highlights":
            kept = _keep(value, basics_words, viewer)
            if kept:
                view[key] = [item["text"] if isinstance(item, dict) else item for item in kept]
        elif key in ("career", "interests"):
            if viewer.item(value, basics_words):
                view[key] = _strip_visibility(value)
        elif key == "educators":
            if viewer.full or (basics and viewer.audience != viewer.options.everyone):
                view[key] = value
        elif basics:
            view[key] = value
    return view


def _shared_part(page: Page, doc: Document) -> Page:
    """A page the audience may not see, of which a marked section is shared with it: only that part.

    The page's own title, file name, date and other front matter are the page's, not the part's: the
    part is shown as a page of its own, titled with the words of its first heading, at a name made
    from the whole page (so the same for every build until the page changes, and not to be confirmed
    by guessing a file name).
    """
    first = next((b for b in doc.kept_blocks if b.heading is not None), None)
    title = ""
    if first is not None and first.heading is not None:
        title = plain_text(markdown_it().parseInline(first.heading.text)[0].children)
        doc = doc.keep({b.index for b in doc.kept_blocks if b.index != first.index})
    digest = hashlib.sha256(page.name.encode("utf-8"))
    for token in page.doc.tokens:
        digest.update(token.content.encode("utf-8"))
    name = posixpath.join(posixpath.dirname(page.name), f"shared-{digest.hexdigest()[:16]}.md")
    meta = {"title": title or "Shared part"}
    return dataclasses.replace(page, name=name, path="", doc=doc.compact(), meta=meta, meta_doc=Doc("", meta, {}))


def view_student(student: Student, viewer: Viewer) -> Student | None:
    """What `viewer` may see of `student`; None when it may see nothing at all."""
    can_see: Callable[[Words], bool] = viewer.can_see
    pages: list[Page] = []
    for page in student.pages:
        default = viewer.page_default(page)
        doc = filter_document(page.doc, default, can_see, viewer.full)
        if viewer.can_see(default):
            meta = _strip_visibility(page.meta)
            pages.append(dataclasses.replace(page, doc=doc.compact(), meta=meta, meta_doc=Doc(page.path, meta, {})))
        elif not doc.is_empty():
            pages.append(_shared_part(page, doc))
    conference = None
    if student.conference is not None:
        deck = student.conference
        own = words(deck.meta["visibility"]) if "visibility" in deck.meta else (PRIVATE,)
        doc = deck.doc if viewer.sees_notes else strip_notes(deck.doc)
        doc = filter_document(doc, own, can_see, viewer.full, separators(deck.doc))
        # The deck's title and order are the student's words too: only where the file is shared.
        meta = _strip_visibility(deck.meta) if viewer.can_see(own) else {}
        conference = dataclasses.replace(deck, doc=doc.compact(), meta=meta, meta_doc=Doc(deck.path, meta, {}))
    files = frozenset([*(p.name for p in student.pages), *student.artifacts])
    artifacts: set[str] = set()
    for page in [*pages, *([conference] if conference else [])]:
        # As the renderer reads the page: a link in an HTML comment or in code publishes nothing.
        for url, loads in linked_urls(page.doc):
            target, problem = resolve(Link(1, url, loads), page.name, files)
            if problem is None and target is not None and target in student.artifacts:
                artifacts.add(target)
    courses: dict[str, Any] = {}
    course_default = viewer.file_default("courses")
    years = []
    for year in student.courses.get("years", []):
        kept = _keep(year["courses"], course_default, viewer)
        if kept:
            years.append({**year, "courses": kept})
    if years:
        courses["years"] = years
    for key in ("credentials", "assessments"):
        kept = _keep(student.courses.get(key), course_default, viewer)
        if kept:
            courses[key] = kept
    if courses and "program_of_study" in student.courses and viewer.can_see(course_default):
        courses["program_of_study"] = student.courses["program_of_study"]
    goals = tuple(_goal(g, viewer) for g in student.goals if viewer.item(g, viewer.file_default("goals")))
    experiences = tuple(_keep(student.experiences, viewer.file_default("experiences"), viewer))
    checklist = tuple(_keep(student.checklist, viewer.file_default("checklist"), viewer))
    profile = _profile(student.profile, viewer)
    view = dataclasses.replace(
        student,
        profile=profile,
        goals=goals,
        courses=courses,
        experiences=experiences,
        checklist=checklist,
        pages=tuple(pages),
        artifacts=tuple(sorted(artifacts)),
        docs={},
        conference=conference,
    )
    shows_anything = pages or goals or courses or experiences or "name" in profile or checklist
    return view if shows_anything else None


# --- The change record, as an audience may see it ------------------------------------------------

GOAL_FIELDS_SHARED = ("id", "domain", "term", "statement", "due", "status", "set")


def _goal_version_for(version: GoalVersion, viewer: Viewer) -> dict[str, Any] | None:
    """An earlier version of a goal as `viewer` may see it: only what that version itself shared,
    and nothing of a version that does not pass today's schema."""
    goal = version.goal
    if not version.valid or not viewer.item(goal, viewer.file_default("goals")):
        return None
    own = words(goal["visibility"]) if "visibility" in goal else viewer.file_default("goals")
    kept = {k: v for k, v in goal.items() if k in GOAL_FIELDS_SHARED}
    measure = (goal.get("smart") or {}).get("measurable") if isinstance(goal.get("smart"), dict) else None
    if measure:
        kept["smart"] = {"measurable": measure}
    for key in ("barriers", "strategies"):
        items = goal.get(key)
        if isinstance(items, list):
            kept[key] = [_strip_visibility(i) for i in items if viewer.item(i, own)]
    return kept


def view_record(record: Record, view: Student, viewer: Viewer) -> Record:
    """The change record for `viewer`: whole for the student and educators; otherwise only dated
    changes to the pages and goals the audience sees now, without messages, authors or old names."""
    if viewer.full or not record.available:
        return record
    pages = {page.name for page in view.pages}
    goal_order = [str(goal["id"]) for goal in view.goals]
    goal_ids = set(goal_order)
    versions: dict[str, tuple[GoalVersion, ...]] = {}
    visible_change: set[str] = set()  # commits that changed what this audience sees of a goal or page
    for gid in goal_order:
        shown: list[GoalVersion] = []
        for version in record.goal_versions.get(gid, ()):
            goal = _goal_version_for(version, viewer)
            if goal is not None and (not shown or shown[-1].goal != goal):
                shown.append(GoalVersion(version.day, "", goal))
                visible_change.add(version.sha)
        if shown:
            versions[gid] = tuple(shown)
    for name in sorted(pages):
        visible_change.update(
            f"{sha}:{name}" for sha in _page_changes(name, record.page_versions.get(name, ()), viewer)
        )
    entries = []
    for entry in record.entries:
        items = tuple(
            Item(item.name, "changed" if item.status in ("renamed", "moved in") else item.status)
            for item in entry.items
            if (
                item.name in pages
                and item.status != "moved out"
                and f"{entry.commit.sha}:{item.name}" in visible_change
            )
            or (item.name == "goals.yml" and entry.commit.sha in visible_change)
        )
        if items:
            entries.append(
                dataclasses.replace(
                    entry, commit=_bare(entry.commit), role="", who="", items=items, goals=entry.goals & goal_ids
                )
            )
    return Record(
        True,
        "",
        record.shallow,
        tuple(entries),
        versions,
        {g: d for g, d in record.goal_first_seen.items() if g in goal_ids},
        {},
    )


def _page_changes(name: str, versions: tuple[PageVersion, ...], viewer: Viewer) -> Iterator[str]:
    """The commits whose version of the page changed what `viewer` sees of it (from nothing, at first).

    Two versions next to each other that hold no marker (`unmarked`) are each seen whole or not at all,
    so their texts are compared, unparsed; otherwise both are parsed and filtered, and what the audience
    keeps is compared, so a change in a hidden part is never a change.
    """
    seen: dict[tuple[int, bool], tuple[Any, ...] | None] = {}

    def seen_of(at: int, whole: bool) -> tuple[Any, ...] | None:
        if (at, whole) not in seen:
            seen[at, whole] = _page_seen(name, versions[at], viewer, whole)
        return seen[at, whole]

    plain = [version.body is not None and unmarked(version.body) for version in versions]
    for at, version in enumerate(versions):
        whole = plain[at] and (at == 0 or plain[at - 1])
        if seen_of(at, whole) != (seen_of(at - 1, whole) if at else None):
            yield version.sha


def _page_seen(name: str, version: PageVersion, viewer: Viewer, whole: bool = False) -> tuple[Any, ...] | None:
    """What `viewer` saw of one version of a page (None: nothing), to tell whether a commit changed it.

    `whole`: the version holds no marker, so the audience sees all of its body or none of it: its text
    stands for what it shows, and it is not parsed.
    """
    meta, body = version.meta, version.body
    if meta is None or body is None:
        return None
    section = str(meta.get("section") or name.split("/")[0])
    default = words(meta["visibility"]) if "visibility" in meta else viewer.section_default(section)
    shown_meta = tuple(sorted((k, str(v)) for k, v in meta.items() if k != "visibility"))
    if whole:
        return (shown_meta, body) if viewer.can_see(default) else None
    if version.doc is None:
        return None
    doc = filter_document(version.doc, default, viewer.can_see)
    if not viewer.can_see(default) and doc.is_empty():
        return None
    blocks = tuple(
        (t.type, t.tag, t.content, t.info, tuple(sorted(t.attrs.items())))
        for block in doc.kept_blocks
        for t in doc.tokens[block.start : block.end]
    )
    return shown_meta, blocks


def _bare(commit: Commit) -> Commit:
    """A commit with only its date: no id, author, message or file names."""
    return Commit("", (), "", "", commit.date, "", ())
