"""`ilp check`: load and validate what the given paths touch, report every problem.

The framework, reference data and roster are always loaded (everything else is
checked against them), and their problems are always reported. Lessons and
district pages are checked when a path touches them; students when a path
touches their folder. Checking a framework or roster file checks every student.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import CONFIG_FILE
from generator.check.district import load_district
from generator.errors import Report
from generator.load.documents import LoadError, load_markdown
from generator.model import Educator, Student
from generator.check.student import load_student, student_folders
from generator.check.framework import lesson_files


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


def scope_for(root: Path, paths: list[Path], framework_files: set[str]) -> Scope:
    """The scope that covers `paths` (absolute); an empty list means everything."""
    scope = Scope(everything=not paths)
    for path in paths:
        try:
            rel = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
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
    district, report, lesson_report = load_district(root, today)
    options, roster = district.options, district.roster
    scope = scope_for(root, paths, {options.framework, options.roster})
    if scope.everything or scope.district:
        report.extend(lesson_report)
    names = student_folders(root)
    if not (scope.everything or scope.all_students):
        names = [n for n in names if n in scope.students]
    students = []
    for name in names:
        student, student_report = load_student(root, name, district)
        report.extend(student_report)
        if student is not None:
            students.append(student)
    if students and roster is not None:
        _check_reviews(root, students, roster, report, everything=scope.everything or scope.all_students)
    if scope.everything or scope.content:
        _check_content(root, report)
    checked_lessons = len(lesson_files(root)) if scope.everything or scope.district else 0
    return CheckResult(report, len(names), checked_lessons)


def _check_content(root: Path, report: Report) -> None:
    folder = root / "content"
    if not folder.is_dir():
        return
    for file in sorted(folder.rglob("*.md")):
        rel = file.relative_to(root).as_posix()
        try:
            page = load_markdown(file, rel)
        except LoadError as exc:
            report.extend(exc.diagnostics)
            continue
        if page.meta is not None and not isinstance(page.meta.data, dict):
            report.error(rel, 2, "front matter should be 'key: value' lines")


def _check_reviews(
    root: Path, students: list[Student], roster: dict[str, Educator], report: Report, everything: bool
) -> None:
    """Warnings for goal reviews that the git history contradicts (when the ILP is in git)."""
    from generator.history.changes import by_folder, review_problems, student_record
    from generator.history.git import read_history

    wanted = [f"{s.path}/goals.yml" for s in students]
    history = read_history(root, wanted, ["students/"] if everything else wanted)
    if not history.available:
        return
    folders = by_folder(history)
    for student in students:
        doc = student.docs.get("goals.yml")
        if doc is None:
            continue
        record = student_record(history, student, roster, folders.get(f"{student.path}/", []))
        for i, j, message in review_problems(record, doc.data["goals"]):
            report.warning(doc.path, doc.line(("goals", i, "reviews", j, "date")), message)
