"""The pipeline: the district's corpus, loaded once, then every site of every audience.

    corpus():  load + check (stages 1, 2) and history (stage 4), once for the district
    sites():   per student and audience, the view (stage 3) and its pages (stage 5)
    build():   each site through MkDocs (stage 6) into a staging folder, swapped into place

`ilp check`, `ilp build`, `ilp serve` and `ilp conference` all start from `corpus()`. A student whose
files have errors is reported and left out; the others are built.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.check.content import content_pages
from generator.check.district import District, load_district
from generator.check.student import load_student
from generator.config import Roles
from generator.deploy.access import START, access
from generator.errors import Diagnostic, IlpError, Report
from generator.history.changes import by_folder, student_record
from generator.history.git import read_history
from generator.history.record import Record
from generator.load.documents import LoadError, read_bytes
from generator.load.folders import markdown_files, student_folders
from generator.markdown.document import Document
from generator.model import Student
from generator.model.site import Site
from generator.render.charts import charts_html
from generator.render.dashboard import Row, chart_data, dashboard_row
from generator.render.deck import deck_page
from generator.render.district import Listed, curriculum_site, district_site, start_site
from generator.render.names import display_name
from generator.render.student import AUDIENCE_TITLES, Context, student_grade, student_site
from generator.sanitize import UnsafeSvg, clean_svg
from generator.site import output
from generator.site.builder import THEME_DIR, site_builder
from generator.visibility.views import Viewer, view_record, view_student

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


# --- Stages 3 and 5: the sites of the district ----------------------------------------------------


def district_sites(
    corpus: Corpus, chosen: tuple[str, ...], content: dict[str, tuple[dict[str, Any], Document]]
) -> list[Site]:
    """The district's own sites: its pages, the lessons in both editions, the educators' start page."""
    context, roles, options = corpus.context, Roles(corpus.district.options), corpus.district.options
    sites: list[Site] = []
    label = AUDIENCE_TITLES.get
    if roles.public in chosen:
        sites.append(district_site(content, options.site_name, roles.public, roles.public, label(roles.public, "")))
        sites.append(
            curriculum_site(context, roles.public, f"{roles.public}/curriculum", False, label(roles.public, ""))
        )
    if roles.educator in chosen:
        sites.append(
            curriculum_site(context, roles.educator, f"{roles.educator}/curriculum", True, label(roles.educator, ""))
        )
    sites.extend(start_sites(corpus, chosen))
    return sites


def start_sites(corpus: Corpus, chosen: tuple[str, ...]) -> list[Site]:
    """One start page per reader group (an educator's caseload, a family, an advisory group), listing only
    the students that group may read, each as that group's audience sees them. An educator's is their
    dashboard (rows from the educator view and its change record); a lead's (roster `access: school` or
    `district`) adds figures by school and grade."""
    context, options = corpus.context, corpus.district.options
    by_id = {s.id: s for s in corpus.students}
    kinds = {"educator": Roles(options).educator, "family": "family", "advisory": "advisory"}
    warnings = _warnings_by_student(corpus)
    sites = []
    for group in access(corpus.students, context.roster, options).groups:
        audience = kinds[group.kind]
        if audience not in chosen:
            continue
        viewer = Viewer(audience, options, context.framework)
        listed = []
        rows: list[Row] | None = [] if group.kind == "educator" else None
        shown_records: list[Record] = []
        for student_id in group.students:
            view = view_student(by_id[student_id], viewer)
            if view is None:
                continue
            educators = ", ".join(
                context.roster[e].name for e in view.profile.get("educators", []) if e in context.roster
            )
            name = display_name(view) if "name" in view.profile else "A student"
            grade = student_grade(view, context) if "name" in view.profile else None
            listed.append(Listed(student_id, name, grade, str(view.profile.get("school", "")), educators))
            if rows is not None:
                record = corpus.records.get(student_id, Record(False, "the history was not read"))
                shown_records.append(view_record(record, view, viewer))
                rows.append(dashboard_row(view, shown_records[-1], context, warnings.get(student_id, 0)))
        label = AUDIENCE_TITLES.get(audience, "")
        educator = context.roster.get(group.dest.rsplit("/", 1)[-1].removeprefix(START))
        lead = group.kind == "educator" and educator is not None and educator.access in ("school", "district")
        charts = charts_html(chart_data(rows, shown_records, context)) if rows is not None else ""
        sites.append(
            start_site(group.dest, group.kind, audience, group.title, listed, label, rows, context.today, lead, charts)
        )
    return sites


def _warnings_by_student(corpus: Corpus) -> dict[str, int]:
    """The `ilp check` warnings under each student's folder."""
    counts: dict[str, int] = {}
    for diagnostic in corpus.report:
        parts = diagnostic.path.split("/")
        if diagnostic.severity == "warning" and len(parts) > 2 and parts[0] == "students":
            counts[parts[1]] = counts.get(parts[1], 0) + 1
    return counts


def student_sites(corpus: Corpus, student: Student, chosen: tuple[str, ...]) -> Iterator[Site]:
    """One site per audience that may see anything of the student: the view first, then its pages."""
    context, options = corpus.context, corpus.district.options
    roles = Roles(options)
    record = corpus.records.get(student.id, Record(False, "the history was not read"))
    for audience in chosen:
        viewer = Viewer(audience, options, context.framework)
        view = view_student(student, viewer)
        if view is None:
            continue
        folder = public_folder(student, options.public_salt) if audience == roles.public else student.id
        dest = f"{audience}/{folder}"
        shown_record = view_record(record, view, viewer)
        curriculum = f"{roles.curriculum_for(audience)}/curriculum"
        lesson_url = "/".join([".."] * (len(Path(dest).parts) + 1) + [curriculum])
        with_deck = viewer.full or audience == options.conference
        yield student_site(
            view,
            context,
            audience,
            dest,
            corpus.artifacts.get(student.id, {}),
            lesson_url,
            (curriculum,),
            indexable=audience == roles.public,
            record=shown_record,
            full=viewer.full,
            deck=deck_page(view, context, shown_record, notes=audience == roles.student) if with_deck else None,
        )


def public_folder(student: Student, salt: str) -> str:
    """The folder of a student's public portfolio: the `public_path` they chose, or a name that names no one.

    The opaque name is made from the student's id and the district's `public_salt` (in mkdocs.yml, which
    the public never sees), so it cannot be worked out from a guessed id; it stays the same from build
    to build, in any clone, as long as the salt does.
    """
    chosen = student.profile.get("public_path")
    if isinstance(chosen, str) and chosen:
        return chosen
    return "p-" + hashlib.sha256(f"ilp-public\0{salt}\0{student.id}".encode()).hexdigest()[:16]


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
    with output.staging(out) as staging, site_builder(theme_dir, strict) as builder:
        for student in (None, *loaded.students):
            group = sites if student is None else list(student_sites(loaded, student, chosen))
            for site in group:
                built = builder.build(site, staging / site.dest)
                result.pages += built.pages
                result.sites += 1
            if student is not None:
                result.students += 1
            done += len(group) if student is None else len(chosen)
            if progress:
                progress(done, total)
        output.write_shared(staging, theme_dir, district.options.site_name, roles.public)
    result.seconds = time.perf_counter() - started
    return result


def _fatal(report: Report, message: str) -> IlpError:
    lines = [d.format() for d in report.sorted() if d.severity == "error"]
    return IlpError("\n".join([*lines, message]))
