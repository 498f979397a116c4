"""`ilp check`: load and validate what the given paths touch, report every problem.

The framework, reference data and roster are always loaded (everything else is
checked against them), and their problems are always reported. Lessons and
district pages are checked when a path touches them; students when a path
touches their folder. Checking a framework or roster file checks every student.

The git history is read too: a goal's review is checked against the commits (dated after it was
recorded, or before its goal existed), and a student repository git cannot read is reported. Only the
versions of goals.yml are read from it (the build reads every page's too): the reviews need no more.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.check.options import load_options
from generator.config import CONFIG_FILE
from generator.errors import Report
from generator.history.record import review_problems
from generator.load.folders import lesson_files
from generator.pipeline import corpus

LESSONS = "curriculum/grade-"


@dataclass
class Scope:
    """What one `ilp check` run covers."""

    everything: bool = False
    district: bool = False
    content: bool = False
    students: set[str] = field(default_factory=set)
    all_students: bool = False


@dataclass
class CheckResult:
    report: Report
    students: int
    lessons: int
    files_checked: int = 0


def _relative(path: Path, root: Path) -> str | None:
    """`path` relative to `root`, symlinks in it not followed (a symlinked folder is checked as one)."""
    for base in (Path(os.path.abspath(root)), root.resolve()):
        absolute = Path(os.path.abspath(path))
        if absolute.is_relative_to(base):
            return absolute.relative_to(base).as_posix()
    return None


def scope_for(root: Path, paths: list[Path], framework_files: set[str]) -> Scope:
    """The scope that covers `paths` (absolute); an empty list means everything."""
    scope = Scope(everything=not paths)
    for path in paths:
        rel = _relative(path, root)
        if rel is None:
            continue
        parts = [] if rel == "." else rel.split("/")
        if not parts or rel == CONFIG_FILE:
            scope.everything = True
        elif parts[0] == "students":
            if len(parts) >= 2 and (root / "students" / parts[1]).is_dir():
                scope.students.add(parts[1])
            else:
                scope.all_students = True
        elif parts[0] == "curriculum":
            scope.district = True
            if rel in framework_files or len(parts) == 1 or not parts[1].startswith("grade-"):
                scope.all_students = True
        elif parts[0] == "content":
            scope.content = True
    return scope


def run_check(root: Path, paths: list[Path], today: datetime.date | None = None) -> CheckResult:
    options = load_options(root)[0]
    scope = scope_for(root, paths, {options.framework, options.roster})
    every_student = scope.everything or scope.all_students
    lessons_in_scope = scope.everything or scope.district
    only = None if every_student else scope.students
    loaded = corpus(root, today, only=only, artifacts=False, lesson_bodies=lessons_in_scope, page_versions=False)
    report = Report()
    report.extend(d for d in loaded.report if lessons_in_scope or not d.path.startswith(LESSONS))
    for student in loaded.students:
        doc = student.docs.get("goals.yml")
        record = loaded.records.get(student.id)
        if doc is None or record is None or not record.available:
            continue
        for i, j, message in review_problems(record, doc.data["goals"]):
            report.warning(doc.path, doc.line(("goals", i, "reviews", j, "date")), message)
    if scope.everything or scope.content:
        from generator.check.content import content_pages

        content_pages(root, report)
    checked_lessons = len(lesson_files(root)) if lessons_in_scope else 0
    return CheckResult(report, len(loaded.students) + len(loaded.skipped), checked_lessons)
