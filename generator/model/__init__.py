"""The ILP content model: frozen dataclasses built from validated documents.

Student files keep their validated YAML values (plain dicts and lists, dates as
``YYYY-MM-DD`` strings) next to the documents they came from, so that later
stages can still point at a line.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Protocol

from generator.markdown.document import Document
from generator.model.source import Doc


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    purpose: str
    visibility: tuple[str, ...]
    prompts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity:
    id: str
    grade: int
    title: str
    section: str
    artifact: str
    required: bool = True
    domain: str | None = None
    description: str = ""


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    grade: int
    text: str


@dataclass(frozen=True)
class GradePlan:
    grade: int
    focus: str
    activities: tuple[Activity, ...]
    checklist: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class Term:
    id: str
    title: str
    start: tuple[int, int]


@dataclass(frozen=True)
class Calendar:
    """The school year; days are (month, day)."""

    start: tuple[int, int]
    mid_year: tuple[int, int]
    end: tuple[int, int]
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    sections: tuple[Section, ...]
    grades: tuple[GradePlan, ...]
    calendar: Calendar
    review_required_months: int
    review_recommended_months: int
    files: dict[str, str] = field(default_factory=dict)

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(section.id for section in self.sections)

    @property
    def activities(self) -> dict[str, Activity]:
        return {a.id: a for plan in self.grades for a in plan.activities}

    @property
    def checklist(self) -> dict[str, ChecklistItem]:
        return {c.id: c for plan in self.grades for c in plan.checklist}

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def plan(self, grade: int) -> GradePlan | None:
        return next((p for p in self.grades if p.grade == grade), None)


@dataclass(frozen=True)
class Reference:
    """ASCA standards, career clusters and RIASEC types, by id."""

    asca_edition: int = 0
    asca: dict[str, str] = field(default_factory=dict)
    clusters: dict[str, str] = field(default_factory=dict)
    riasec: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Educator:
    id: str
    name: str
    role: str
    emails: tuple[str, ...] = ()
    school: str = ""
    access: str = ""  # '' (their caseload), 'school' or 'district': granted explicitly in the roster


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    grade: int
    path: str
    meta: dict[str, Any]
    doc: Document
    asca: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    id_line: int = 1


@dataclass(frozen=True)
class Page:
    """A student's Markdown page."""

    path: str  # relative to the repository root
    name: str  # relative to the student's folder
    section: str
    meta: dict[str, Any]
    doc: Document  # the body, read once; a view holds only the blocks its audience may see
    meta_doc: Doc

    @property
    def body_line(self) -> int:
        return self.doc.first_line

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))


class Profiled(Protocol):
    """A student as far as who reads what is concerned: an id and a profile (a Student, or its summary)."""

    @property
    def id(self) -> str: ...

    @property
    def profile(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Student:
    id: str
    path: str  # students/<id>
    profile: dict[str, Any]
    goals: tuple[dict[str, Any], ...]
    courses: dict[str, Any]
    experiences: tuple[dict[str, Any], ...]
    checklist: tuple[dict[str, Any], ...]
    pages: tuple[Page, ...]
    artifacts: tuple[str, ...]  # relative to the student's folder
    docs: dict[str, Doc] = field(default_factory=dict)  # by file name: profile.yml, ...
    conference: Page | None = None  # conference.md: the student's deck choices and own slides
    links: tuple[dict[str, Any], ...] = ()  # sharing.yml: links for family without an account (never rendered)


# --- The change record (history.py fills these from git) ---


@dataclass(frozen=True)
class Change:
    status: str  # A, M, D, R (renamed), C (copied), T (type changed)
    path: str  # repository-relative, after the commit
    old_path: str | None = None  # for R and C


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: datetime.datetime
    message: str
    changes: tuple[Change, ...]

    @property
    def day(self) -> datetime.date:
        return self.date.date()


@dataclass(frozen=True)
class History:
    """The district's history: commits touching students/, newest first."""

    available: bool
    reason: str = ""
    shallow: bool = False
    commits: tuple[Commit, ...] = ()
    # (commit sha, repository-relative path) -> file text, for the versions that were read
    versions: dict[tuple[str, str], str] = field(default_factory=dict)
    # students/<id>/ -> why git could not read that student's own repository (the others are read)
    unreadable: dict[str, str] = field(default_factory=dict)

    def touching(self, prefix: str) -> list[Commit]:
        """Commits that change a path under `prefix` (repository-relative), newest first."""
        return [
            c
            for c in self.commits
            if any(ch.path.startswith(prefix) or (ch.old_path or "").startswith(prefix) for ch in c.changes)
        ]
