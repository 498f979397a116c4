"""What `ilp promote` plans: the changes to files, per student and for the district (data only),
and the two ways the planner reads and edits a file."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.commands.promote_text import EditError, verified
from generator.errors import Diagnostic
from generator.model.schoolyear import school_year_label

LABEL = re.compile(r"^(\d{4})-(\d{4})$")


class Blocked(Exception):
    """Problems that stop the run before anything is written."""

    def __init__(self, diagnostics: list[Diagnostic], check: str = "ilp check") -> None:
        super().__init__(f"{len(diagnostics)} problems")
        self.diagnostics = diagnostics
        self.check = check  # the command that lists them


@dataclass(frozen=True)
class FileChange:
    rel: str  # relative to the repository root
    before: str | None  # None: a new file
    after: str


@dataclass(frozen=True)
class Review:
    goal: str
    due: datetime.date  # a review is due from here (the recommended cadence)
    required: datetime.date  # and overdue after this (the required cadence)
    goal_due: str | None = None  # the goal's own due date, when it has passed


@dataclass
class StudentPlan:
    id: str
    grade: int | None  # in the new school year
    was: int | None
    graduates: bool = False
    items: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    grade_written: bool = False
    note: str = ""
    moved: str = ""  # after the run: how the graduate's folder moved

    @property
    def changed(self) -> bool:
        return bool(self.graduates or self.items or self.carried or self.pages or self.grade_written)


@dataclass
class Plan:
    current: int
    target: int
    basis: str  # how the current school year was decided
    roster: str  # the roster's path, relative to the root
    students: list[StudentPlan]
    changes: list[FileChange]
    notes: list[str]
    roster_written: bool = False

    @property
    def graduates(self) -> list[str]:
        return [s.id for s in self.students if s.graduates]

    @property
    def label(self) -> str:
        return school_year_label(self.target)


def parse_label(text: str) -> int | None:
    """The school year (by the year it ends in) named by '2027-2028', or None."""
    match = LABEL.match(text)
    if match is None or int(match[2]) != int(match[1]) + 1:
        return None
    return int(match[2])


def read_exact(root: Path, rel: str) -> str:
    """A file's text exactly as it is (line endings and byte-order mark kept)."""
    return (root / rel).read_bytes().decode("utf-8")


def edited(rel: str, before: str, edit: Callable[[str], str], meant: Callable[[Any], None]) -> str:
    """`before` edited, and checked to mean what the edit meant; a file it cannot edit stops the run."""
    try:
        return verified(rel, before, edit(before), meant)
    except EditError as exc:
        raise Blocked([Diagnostic(rel, exc.line, exc.message)]) from exc
