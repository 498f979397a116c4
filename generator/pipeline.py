"""The pipeline: the district's corpus, loaded once, then every site of every audience.

    corpus():  load + check (stages 1, 2) and history (stage 4), once for the district
               (`begin` then `finish`; for `ilp build`, `begin` then `defer`, and each student
               loaded by `load_one` in the worker that builds them)
    sites():   per student and audience, the view (stage 3) and its pages (stage 5): generator/sites.py
    build():   each site through MkDocs (stage 6) into a staging folder, swapped into place:
               generator/builds.py (and `merge`, the shards put together: generator/merging.py)

`ilp check`, `ilp build`, `ilp serve` and `ilp conference` all start from `corpus()`. A student whose
files have errors is reported and left out; the others are built. This module imports only what
`corpus()` needs, so `ilp check` loads no site builder; `build` and the other names of the later
stages are found here too, imported when first asked for.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.check.district import District, load_district
from generator.check.public_paths import SITE_FOLDERS, check_public_paths
from generator.check.student import load_student, recorded_files
from generator.errors import IlpError, Report
from generator.history.changes import Records
from generator.history.git import Reading
from generator.history.git import start as start_history
from generator.history.record import Record
from generator.load.artifacts import published_artifacts
from generator.load.documents import LoadError, parse_yaml, read_text
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
    return finish(begin(root, today, only, history, keep, lesson_bodies), artifacts, page_versions)


@dataclass
class Start:
    """The district loaded, its student folders named and git's reading of their history begun."""

    root: Path
    district: District
    district_report: Report
    report: Report
    names: list[str]  # every student folder, in order (`only` these)
    kept: dict[str, Summary]  # the folders not to load, and what stands for them
    reading: Reading | None

    @property
    def load(self) -> list[str]:
        return [name for name in self.names if name not in self.kept]

    def kept_in_order(self) -> tuple[Summary, ...]:
        return tuple(self.kept[name] for name in self.names if name in self.kept)


def begin(
    root: Path,
    today: datetime.date | None = None,
    only: set[str] | None = None,
    history: bool = True,
    keep: Callable[[District, list[str]], dict[str, Summary]] | None = None,
    lesson_bodies: bool = True,
) -> Start:
    """The first part of `corpus()`: the district, and git reading the log of the students to load."""
    # git reads the log in its own process while the files load; for some students only, their folders'.
    guess = ["students/"] if only is None else [f"students/{name}/" for name in student_folders(root) if name in only]
    reading = start_history(root, guess) if history and keep is None else None
    district, district_report, lesson_report = load_district(root, today, lesson_bodies)
    district_report.extend(lesson_report)
    report = Report()
    report.extend(district_report)
    names = [name for name in student_folders(root, report) if only is None or name in only]
    kept = keep(district, names) if keep is not None and district.complete else {}
    if history and keep is not None:  # the students that changed: git reads their folders while they load
        guess = [f"students/{name}/" for name in names if name not in kept] if kept else guess
        reading = start_history(root, guess) if guess else None
    for item in kept.values():
        report.extend(item.diagnostics)
    return Start(root, district, district_report, report, names, kept, reading)


def finish(start: Start, artifacts: bool = True, page_versions: bool = True) -> Corpus:
    """The rest of `corpus()`: every student to load, loaded and checked, with their history and artifacts."""
    root, district, report, kept = start.root, start.district, start.report, start.kept
    students: list[Student] = []
    skipped: list[str] = []
    for name in start.load:
        student, student_report = load_student(root, name, district)
        report.extend(student_report)
        if student is None:
            skipped.append(name)
        else:
            students.append(student)
    for refused in check_public_paths(_public_paths(students, list(kept.values())), _content_names(root), report):
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
    wanted = [path for s in students for path in (f"{s.path}/goals.yml", *(p.path for p in s.pages if page_versions))]
    records, shallow = _records(start, wanted, students)
    return Corpus(
        root,
        district,
        report,
        start.district_report,
        tuple(students),
        tuple(skipped),
        records,
        files,
        shallow,
        start.kept_in_order(),
    )


def _records(start: Start, wanted: list[str], students: list[Student]) -> tuple[Mapping[str, Record], bool]:
    """The change records of `students` (made when asked for) from git's reading, and whether it was shallow."""
    reading, roster = start.reading, start.district.roster
    if reading is None or roster is None or not wanted:
        if reading is not None:
            reading.cancel()
        return {}, False
    # git read the folders of every student that was to load (a few more than loaded, if some had
    # errors: their commits go unused, and a move from their folder is told as in the whole history).
    found = reading.history(wanted)
    for folder, reason in sorted(found.unreadable.items()):
        start.report.warning(
            folder.rstrip("/"),
            1,
            f"git cannot read this student's repository ({reason}); their change record is left out",
        )
    return Records(found, students, roster), found.shallow


@dataclass(frozen=True)
class Deferred:
    """The district loaded, with its students' history, but not the students: each is loaded where its
    sites are built (`load_one`), so that no process holds them all. `corpus` has no students yet;
    `names` are the folders to load, `public` the public_path each chose, as `defer` read it."""

    corpus: Corpus
    names: tuple[str, ...]
    public: dict[str, str | None]


def defer(start: Start) -> Deferred:
    """`finish()` but for loading the students: the public addresses they chose are checked first,
    from their profiles (`load_one` makes sure each is the one its student is built with)."""
    root, district, report, kept = start.root, start.district, start.report, start.kept
    content = _content_names(root)
    public = {name: _chosen_public_path(root, name) for name in start.load}
    chosen = [*public.values(), *(item.profile.get("public_path") for item in kept.values())]
    counts = Counter(path for path in chosen if isinstance(path, str))
    taken = {*content, *SITE_FOLDERS}
    candidates: list[tuple[str, str, str, int]] = []
    found: dict[str, Report] = {}
    for name, path in public.items():
        if path is None:
            continue
        if counts[path] == 1 and path not in taken:  # no one else chose it: never refused
            candidates.append((name, path, f"students/{name}/profile.yml", 1))
            continue
        # Taken twice, or by a district page: only a student that loads takes it (as `finish()` decides).
        # Such a student is loaded here, once: one with errors is left out now, whatever their files
        # hold by the time a worker would have loaded them.
        student, found[name] = load_student(root, name, district)
        if student is not None:
            candidates.extend(_public_paths([student], []))
    refused = check_public_paths([*candidates, *_public_paths([], list(kept.values()))], content, report)
    failed = {name for name, part in found.items() if part.errors}
    for name in sorted(refused | failed):
        kept.pop(name, None)
        report.extend(found.get(name, ()))  # what its files showed: they are not loaded again
    names = tuple(name for name in start.load if name not in refused | failed)
    wanted = [path for name in names for path in recorded_files(root, name)]
    records, shallow = _records(start, wanted, [])
    loaded = Corpus(
        root, district, report, start.district_report, (), tuple(sorted(refused | failed)), records, {}, shallow,
        start.kept_in_order(),
    )  # fmt: skip
    return Deferred(loaded, names, {name: public[name] for name in names})


def load_one(deferred: Deferred, name: str) -> tuple[Corpus | None, Report]:
    """One student of `deferred`, loaded and checked as `finish()` does: a corpus of that student alone
    (None when its files have errors), and everything found in them."""
    loaded = deferred.corpus
    student, report = load_student(loaded.root, name, loaded.district)
    if student is None:
        return None, report
    chosen = student.profile.get("public_path")
    if (chosen if isinstance(chosen, str) else None) != deferred.public.get(name):
        doc = student.docs["profile.yml"]
        report.error(
            doc.path,
            doc.line(("public_path",)) if "public_path" in student.profile else 1,
            "this file changed while the build was reading it; run the build again",
        )
        return None, report
    files = published_artifacts(loaded.root, student, report)
    if report.has_errors_under(student.path + "/"):
        return None, report
    records = loaded.records.of(student) if isinstance(loaded.records, Records) else {}
    return dataclasses.replace(
        loaded, report=report, students=(student,), records=records, artifacts={name: files}
    ), report


def _chosen_public_path(root: Path, name: str) -> str | None:
    """The public_path in students/<name>/profile.yml as a student without errors is built with it (None:
    none; or the file cannot be read, and then the student has errors, or a profile of no fields)."""
    rel = f"students/{name}/profile.yml"
    path = root / rel
    try:
        if path.is_symlink() or not path.is_file():
            return None
        text = read_text(path, rel)
        if "public_path" not in text and "\\" not in text:  # the key, if there, is written out (no escapes)
            return None
        data = parse_yaml(text, rel).data
    except (LoadError, OSError):
        return None
    chosen = data.get("public_path") if isinstance(data, dict) else None
    return chosen if isinstance(chosen, str) else None


def _content_names(root: Path) -> set[str]:
    """The first parts of the district pages' paths (each a folder of the public site)."""
    return {p.split("/")[0].removesuffix(".md") for p in markdown_names(root)}


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
