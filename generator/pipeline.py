"""The pipeline: the district's corpus, loaded once, then every site of every audience.

    corpus():  load + check (stages 1, 2) and history (stage 4), once for the district
    sites():   per student and audience, the view (stage 3) and its pages (stage 5)
    build():   each site through MkDocs (stage 6) into a staging folder, swapped into place

`ilp check`, `ilp build`, `ilp serve` and `ilp conference` all start from `corpus()`. A student whose
files have errors is reported and left out; the others are built.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.check.content import content_pages
from generator.check.district import District, load_district
from generator.check.student import load_student
from generator.config import Roles
from generator.errors import Diagnostic, IlpError, Report
from generator.history.changes import by_folder, student_record
from generator.history.git import read_history
from generator.history.record import Record
from generator.i18n import catalogs
from generator.load.documents import LoadError, read_bytes
from generator.load.folders import markdown_files, student_folders
from generator.model import Student
from generator.render.student import AUDIENCE_TITLES, Context
from generator.sanitize import UnsafeSvg, clean_svg
from generator.site import output
from generator.site.builder import THEME_DIR, file_names, site_builder
from generator.sites import district_sites, public_folder, student_sites  # noqa: F401 - public_folder: used from here

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
    records: dict[str, Record] = field(default_factory=dict)  # by student id
    artifacts: dict[str, dict[str, bytes]] = field(default_factory=dict)  # by student id: what may be published
    shallow: bool = False

    @property
    def context(self) -> Context:
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
) -> Corpus:
    """Load and check the district once: its configuration, framework, lessons, roster, the students
    (`only` these, when given), their history and the artifacts their sites may publish."""
    district, district_report, lesson_report = load_district(root, today)
    district_report.extend(lesson_report)
    report = Report()
    report.extend(district_report)
    students: list[Student] = []
    skipped: list[str] = []
    for name in student_folders(root, report):
        if only is not None and name not in only:
            continue
        student, student_report = load_student(root, name, district)
        report.extend(student_report)
        if student is None:
            skipped.append(name)
        else:
            students.append(student)
    content = {p.split("/")[0].removesuffix(".md") for p in markdown_names(root)}
    for refused in _check_public_paths(students, content, report):
        students = [s for s in students if s.id != refused]
        skipped.append(refused)
    files: dict[str, dict[str, bytes]] = {}
    if artifacts:
        for student in list(students):
            files[student.id] = _artifacts(root, student, report)
            if report.has_errors_under(student.path + "/"):
                students.remove(student)
                skipped.append(student.id)
    records: dict[str, Record] = {}
    shallow = False
    if history and district.roster is not None and students:
        wanted = [path for s in students for path in (f"{s.path}/goals.yml", *(p.path for p in s.pages))]
        # For some students only, git reads only their folders' history.
        paths = ["students/"] if only is None else [f"{s.path}/" for s in students]
        found = read_history(root, wanted, paths)
        shallow = found.shallow
        for folder, reason in sorted(found.unreadable.items()):
            report.warning(
                folder.rstrip("/"),
                1,
                f"git cannot read this student's repository ({reason}); their change record is left out",
            )
        folders = by_folder(found)
        records = {s.id: student_record(found, s, district.roster, folders.get(f"{s.path}/", [])) for s in students}
    return Corpus(root, district, report, district_report, tuple(students), tuple(skipped), records, files, shallow)


def markdown_names(root: Path) -> list[str]:
    """The district pages' paths inside content/ (their first parts are taken in public/)."""
    return [rel.removeprefix("content/") for rel in markdown_files(root, "content", Report())]


def _artifacts(root: Path, student: Student, report: Report) -> dict[str, bytes]:
    """The artifacts of a student as they may be published (SVG rebuilt from a safe subset)."""
    data: dict[str, bytes] = {}
    for name in student.artifacts:
        rel = f"{student.path}/{name}"
        try:
            raw = read_bytes(root / rel, rel)
        except LoadError as exc:
            report.extend(exc.diagnostics)
            continue
        if name.lower().endswith(".svg"):
            try:
                raw = clean_svg(raw)
            except UnsafeSvg as exc:
                report.error(rel, 1, str(exc))
                continue
        data[name] = raw
    return data


def _check_public_paths(students: list[Student], content: set[str], report: Report) -> set[str]:
    """Students whose chosen public_path is taken (by another student or a district page): reported."""
    taken: dict[str, str] = dict.fromkeys((*content, "curriculum", "search", "assets"), "a district page")
    refused: set[str] = set()
    for student in sorted(students, key=lambda s: s.id):
        chosen = student.profile.get("public_path")
        if not isinstance(chosen, str):
            continue
        doc = student.docs["profile.yml"]
        if chosen in taken:
            report.error(
                doc.path,
                doc.line(("public_path",)),
                f"public_path '{chosen}' is already used by {taken[chosen]}; choose another",
            )
            refused.add(student.id)
        else:
            taken[chosen] = f"students/{student.id}"
    return refused


# --- Stage 6: building ----------------------------------------------------------------------------


@dataclass
class BuildResult:
    report: Report
    students: int = 0
    sites: int = 0
    pages: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def warning_count(self) -> int:
        return len(self.warnings)

    @property
    def errors(self) -> list[Diagnostic]:
        return self.report.errors

    def summary(self) -> str:
        errors = len(self.errors)
        return (
            f"ilp build: {self.students} students, {self.sites} sites, {self.pages} pages, "
            f"{errors} error{'s' * (errors != 1)}, {self.seconds:.1f} s"
        )


def build(
    root: Path,
    out: Path,
    today: datetime.date | None = None,
    only: set[str] | None = None,
    audiences: tuple[str, ...] | None = None,
    progress: Callable[[int, int], None] | None = None,
    theme_dir: Path = THEME_DIR,
    strict: bool = False,
) -> BuildResult:
    """Build every site into `out` (replaced whole at the end); with `strict`, MkDocs' own warnings stop it."""
    started = time.perf_counter()
    output.check_output(root, out)
    loaded = corpus(root, today, only)
    district = loaded.district
    report = Report()
    report.extend(d for d in loaded.report if d.severity == "error")
    if loaded.district_report.errors or not district.complete:
        raise _fatal(loaded.district_report, "fix the configuration, framework, reference data and roster first")
    result = BuildResult(report, skipped=list(loaded.skipped))
    result.warnings.extend(d.format() for d in loaded.report.sorted() if d.severity == "warning")
    if loaded.shallow:
        result.warnings.append("warning: the repository is a shallow clone: the change record is partial")
    for warning in result.warnings:
        log.warning(warning)
    chosen = audiences or district.options.audiences
    roles = Roles(district.options)
    sites = district_sites(loaded, chosen, content_pages(root, report) if roles.public in chosen else {})
    total = len(loaded.students) * len(chosen) + len(sites)
    done = 0
    # `use_directory_urls: false`: every link names a file, checked against every site's files (made first).
    file_urls = not district.options.use_directory_urls
    planned = [sites, *(list(student_sites(loaded, s, chosen)) for s in loaded.students)] if file_urls else []
    known = output.shared_names(theme_dir) | {name for group in planned for site in group for name in file_names(site)}
    with (
        output.staging(out) as staging,
        site_builder(theme_dir, strict, file_urls, keep_external=True, district=root) as builder,
    ):
        for number, student in enumerate((None, *loaded.students)):
            if planned:
                group = planned[number]
            else:
                group = sites if student is None else list(student_sites(loaded, student, chosen))
            for site in group:
                built = builder.build(site, staging / site.dest, known)
                result.pages += built.pages
                result.sites += 1
            if student is not None:
                result.students += 1
            done += len(group) if student is None else len(chosen)
            if progress:
                progress(done, total)
        output.write_shared(
            staging, theme_dir, district.options, file_urls, catalogs.load(district.options.language, root)
        )
    result.seconds = time.perf_counter() - started
    return result


def _fatal(report: Report, message: str) -> IlpError:
    lines = [d.format() for d in report.sorted() if d.severity == "error"]
    return IlpError("\n".join([*lines, message]))
