"""The pipeline: the district's corpus, loaded once, then every site of every audience.

    corpus():  load + check (stages 1, 2) and history (stage 4), once for the district
    sites():   per student and audience, the view (stage 3) and its pages (stage 5): generator/sites.py
    build():   each site through MkDocs (stage 6) into a staging folder, swapped into place:
               generator/builds.py (and `merge`, the shards put together: generator/merging.py)

`ilp check`, `ilp build`, `ilp serve` and `ilp conference` all start from `corpus()`. A student whose
files have errors is reported and left out; the others are built. This module imports only what
`corpus()` needs, so `ilp check` loads no site builder; `build` and the other names of the later
stages are found here too, imported when first asked for.
"""

from __future__ import annotations

import datetime
import importlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.check.district import District, load_district
from generator.check.public_paths import check_public_paths
from generator.check.student import load_student
from generator.errors import IlpError, Report
from generator.history.changes import Records
from generator.history.git import start as start_history
from generator.history.record import Record
from generator.load.artifacts import published_artifacts
from generator.load.folders import markdown_files, student_folders
from generator.model import Student

if TYPE_CHECKING:
    from generator.render.listing import Summary
    from generator.render.student import Context

# Names of the later stages, found here as before (`from generator.pipeline import build`).
LATER = {
    "build": "generator.builds",
    "BuildResult": "generator.building",
    "merge": "generator.merging",
    "public_folder": "generator.sites",
    "student_sites": "generator.sites",
    "district_sites": "generator.sites",
}


def __getattr__(name: str) -> Any:
    if name in LATER:
        return getattr(importlib.import_module(LATER[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Warnings go through logging under MkDocs' plugin namespace: `--strict` (ours or MkDocs') counts them.
log = logging.getLogger("mkdocs.plugins.ilp")


@dataclass(frozen=True)
class Corpus:
    """The loaded, checked district: what every command works from."""

    root: Path
    district: District
    report: Report  # every problem found while loading (errors and warnings)
    district_report: Report  # the problems of the configuration, framework, reference data, roster, lessons
    students: tuple[Student, ...]  # the students without errors
    skipped: tuple[str, ...]  # the students left out for their errors
    records: Mapping[str, Record] = field(default_factory=dict)  # by student id (made when asked for)
    artifacts: dict[str, dict[str, bytes]] = field(default_factory=dict)  # by student id: what may be published
    shallow: bool = False
    kept: tuple[Summary, ...] = ()  # the students not loaded, unchanged since the last build (their summaries)

    @property
    def context(self) -> Context:
        from generator.render.student import AUDIENCE_TITLES, Context

        d = self.district
        if d.framework is None or d.reference is None or d.roster is None:
            raise _fatal(self.district_report, "fix the configuration, framework, reference data and roster first")
        return Context(d.framework, d.reference, d.roster, d.lessons, d.today, AUDIENCE_TITLES)


def corpus(
    root: Path,
    today: datetime.date | None = None,
    only: set[str] | None = None,
    history: bool = True,
    artifacts: bool = True,
    keep: Callable[[District, list[str]], dict[str, Summary]] | None = None,
    lesson_bodies: bool = True,
    page_versions: bool = True,
) -> Corpus:
    """Load and check the district once: its configuration, framework, lessons, roster, the students
    (`only` these, when given), their history and the artifacts their sites may publish.

    `keep` (the build cache's) is asked, once the district is loaded, which of the student folders
    need not be loaded: the summaries it returns stand for those students (`Corpus.kept`). Without
    `lesson_bodies`, the lessons' bodies are not read (`ilp check` of students only); without
    `page_versions`, the history holds the old versions of goals.yml only (all `ilp check` reads)."""
    # git reads the log in its own process while the files load; for some students only, their folders'.
    guess = ["students/"] if only is None else [f"students/{name}/" for name in student_folders(root) if name in only]
    reading = start_history(root, guess) if history and keep is None else None
    district, district_report, lesson_report = load_district(root, today, lesson_bodies)
    district_report.extend(lesson_report)
    report = Report()
    report.extend(district_report)
    students: list[Student] = []
    skipped: list[str] = []
    names = [name for name in student_folders(root, report) if only is None or name in only]
    kept = keep(district, names) if keep is not None and district.complete else {}
    if history and keep is not None:  # the students that changed: git reads their folders while they load
        guess = [f"students/{name}/" for name in names if name not in kept] if kept else guess
        reading = start_history(root, guess) if guess else None
    for name in names:
        if name in kept:
            report.extend(kept[name].diagnostics)
            continue
        student, student_report = load_student(root, name, district)
        report.extend(student_report)
        if student is None:
            skipped.append(name)
        else:
            students.append(student)
    content = {p.split("/")[0].removesuffix(".md") for p in markdown_names(root)}
    for refused in check_public_paths(_public_paths(students, list(kept.values())), content, report):
        students = [s for s in students if s.id != refused]
        kept.pop(refused, None)
        skipped.append(refused)
    files: dict[str, dict[str, bytes]] = {}
    if artifacts:
        for student in list(students):
            files[student.id] = published_artifacts(root, student, report)
            if report.has_errors_under(student.path + "/"):
                students.remove(student)
                skipped.append(student.id)
    records: Mapping[str, Record] = {}
    shallow = False
    if history and district.roster is not None and students:
        wanted = [
            path for s in students for path in (f"{s.path}/goals.yml", *(p.path for p in s.pages if page_versions))
        ]
        # git read the folders of every student that was to load (a few more than loaded, if some had
        # errors: their commits go unused, and a move from their folder is told as in the whole history).
        assert reading is not None
        found = reading.history(wanted)
        shallow = found.shallow
        for folder, reason in sorted(found.unreadable.items()):
            report.warning(
                folder.rstrip("/"),
                1,
                f"git cannot read this student's repository ({reason}); their change record is left out",
            )
        records = Records(found, students, district.roster)
    elif reading is not None:
        reading.cancel()
    return Corpus(
        root,
        district,
        report,
        district_report,
        tuple(students),
        tuple(skipped),
        records,
        files,
        shallow,
        tuple(kept[name] for name in names if name in kept),
    )


def markdown_names(root: Path) -> list[str]:
    """The district pages' paths inside content/ (their first parts are taken in public/)."""
    return [rel.removeprefix("content/") for rel in markdown_files(root, "content", Report())]


def _public_paths(students: list[Student], kept: list[Summary]) -> list[tuple[str, str, str, int]]:
    """(id, chosen public_path, file, line) of every student who chose one, loaded or kept."""
    found = []
    for student in students:
        chosen, doc = student.profile.get("public_path"), student.docs["profile.yml"]
        if isinstance(chosen, str):
            found.append((student.id, chosen, doc.path, doc.line(("public_path",))))
    for item in kept:
        chosen = item.profile.get("public_path")
        if isinstance(chosen, str):
            found.append((item.id, chosen, f"{item.path}/profile.yml", item.public_line))
    return found


def _fatal(report: Report, message: str) -> IlpError:
    lines = [d.format() for d in report.sorted() if d.severity == "error"]
    return IlpError("\n".join([*lines, message]))
