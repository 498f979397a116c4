"""`ilp build`: the stages in order, for every student and audience.

    load + validate  ->  view per audience  ->  render  ->  MkDocs  ->  swap into place

Everything is written to a staging folder beside the output and swapped into
place at the end, so a failed or interrupted build leaves the previous site
as it was. A student whose files have errors is reported and left out; the
others are built.
"""

from __future__ import annotations

import datetime
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from generator.load import documents as load
from generator.history.changes import Record, by_folder, student_record
from generator.config import Options
from generator.check.district import load_district
from generator.errors import Diagnostic, IlpError, Report
from generator.history.git import read_history
from generator.markdown.document import Document, parse
from generator.site.builder import THEME_DIR, Site, SiteBuilder, lunr_js, site_builder
from generator.model import Student
from generator.render.student import Context, student_site
from generator.render.deck import deck_page
from generator.render.district import curriculum_site, district_site, educator_index
from generator.sanitize import UnsafeSvg, clean_svg
from generator.check.student import load_student, student_folders
from generator.visibility.views import Viewer, view_record, view_student

PROTECTED = ("students", "curriculum", "content")
AUDIENCE_TITLES = {
    "student": "Student view",
    "educator": "Educator view",
    "family": "Family view",
    "advisory": "Advisory view",
    "public": "Public view",
}


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
    def errors(self) -> list[Diagnostic]:
        return self.report.errors

    def summary(self) -> str:
        errors = len(self.errors)
        return (
            f"ilp build: {self.students} students, {self.sites} sites, {self.pages} pages, "
            f"{errors} error{'s' * (errors != 1)}, {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class Audiences:
    """Which configured audience plays which part."""

    options: Options

    @property
    def public(self) -> str:
        return self.options.everyone

    @property
    def educator(self) -> str:
        full = self.options.full_access
        return "educator" if "educator" in full else full[-1]

    @property
    def student(self) -> str:
        full = self.options.full_access
        return "student" if "student" in full else full[0]

    def curriculum_for(self, audience: str) -> str:
        """Where an audience's portfolio links lessons: educators to the facilitator edition."""
        return self.educator if audience == self.educator else self.public


def check_output(root: Path, out: Path) -> None:
    """Refuse an output folder that is, or is inside, or holds, the content folders."""
    resolved, base = out.resolve(), root.resolve()
    for name in PROTECTED:
        folder = (base / name).resolve()
        if resolved == folder or resolved.is_relative_to(folder) or folder.is_relative_to(resolved):
            raise IlpError(f"--out {out} would write into {name}/; choose a folder such as site/")
    if resolved == base or base.is_relative_to(resolved):
        raise IlpError(f"--out {out} is the repository itself; choose a folder such as site/")


def _artifacts(root: Path, student: Student, report: Report) -> dict[str, bytes]:
    data: dict[str, bytes] = {}
    for name in student.artifacts:
        rel = f"{student.path}/{name}"
        raw = load.read_bytes(root / rel, rel)
        if name.lower().endswith(".svg"):
            try:
                raw = clean_svg(raw)
            except UnsafeSvg as exc:
                report.error(rel, 1, str(exc))
                continue
        data[name] = raw
    return data


def _content_pages(root: Path, report: Report) -> dict[str, tuple[dict[str, Any], Document]]:
    folder = root / "content"
    pages: dict[str, tuple[dict[str, Any], Document]] = {}
    if folder.is_dir():
        for file in sorted(folder.rglob("*.md")):
            rel = file.relative_to(root).as_posix()
            try:
                page = load.load_markdown(file, rel)
            except load.LoadError as exc:
                report.extend(exc.diagnostics)
                continue
            meta = page.meta.data if page.meta is not None and isinstance(page.meta.data, dict) else {}
            pages[file.relative_to(folder).as_posix()] = (meta, parse(page.body, page.body_line, rel))
    if "index.md" not in pages:
        pages["index.md"] = (
            {},
            parse("# Individual Learning Plans\n\nThis district keeps its ILPs with ilp-portfolio.\n"),
        )
    return pages


def _root_page(site_name: str, public: str, heading: str = "", message: str = "") -> bytes:
    """The output root's index.html (or, with a heading, its 404.html): no student's data."""
    name = escape(site_name)
    if heading:
        body = f'<h1>{escape(heading)}</h1>\n<p>{escape(message)} <a href="/">Go to the start page</a>.</p>\n'
    else:
        body = f'<h1>{name}</h1>\n<p><a href="{escape(public)}/">Go to the district\'s ILP pages</a>.</p>\n'
    return ROOT_PAGE.format(name=name, body=body).encode()


ROOT_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}</title>
<link rel="stylesheet" href="assets/ilp.css">
</head>
<body>
<main id="content" class="root-index">
{body}</main>
</body>
</html>
"""


def _write_assets(staging: Path, theme_dir: Path) -> None:
    assets = staging / "assets"
    assets.mkdir(parents=True)
    for file in sorted((theme_dir / "assets").iterdir()):
        shutil.copyfile(file, assets / file.name)
    (assets / "lunr.js").write_bytes(lunr_js())


def _swap(staging: Path, out: Path) -> None:
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.rename(out, old)
        os.rename(staging, out)
        shutil.rmtree(old)
    else:
        os.rename(staging, out)


def build(
    root: Path,
    out: Path,
    today: datetime.date | None = None,
    only: set[str] | None = None,
    audiences: tuple[str, ...] | None = None,
    progress: Callable[[int, int], None] | None = None,
    theme_dir: Path = THEME_DIR,
) -> BuildResult:
    """Build every site into `out` (replaced whole at the end)."""
    started = time.perf_counter()
    check_output(root, out)
    district, report, lesson_report = load_district(root, today)
    report.extend(lesson_report)
    options, framework, reference, roster = district.options, district.framework, district.reference, district.roster
    if report.errors or framework is None or reference is None or roster is None:
        raise _fatal(report, "fix the configuration, framework, reference data and roster first")
    day = district.today
    context = Context(framework, reference, roster, district.lessons, day, AUDIENCE_TITLES)
    students: list[Student] = []
    result = BuildResult(report)
    for name in student_folders(root):
        if only is not None and name not in only:
            continue
        student, student_report = load_student(root, name, district)
        report.extend(d for d in student_report if d.severity == "error")
        if student is None:
            result.skipped.append(name)
        else:
            students.append(student)
    roles = Audiences(options)
    chosen = audiences or options.audiences
    history = read_history(
        root, [path for s in students for path in (f"{s.path}/goals.yml", *(p.path for p in s.pages))]
    )
    if history.shallow:
        result.warnings.append("the repository is a shallow clone: the change record is partial")
    folders = by_folder(history)
    records = {s.id: student_record(history, s, roster, folders.get(f"{s.path}/", [])) for s in students}
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    try:
        with site_builder(options.site_name, theme_dir) as builder:
            sites = _district_sites(root, context, roles, chosen, students, report, options)
            total = len(students) * len(chosen) + len(sites)
            done = 0
            for site in sites:
                result.pages += builder.build(site, staging / site.dest)
                result.sites += 1
                done += 1
                if progress:
                    progress(done, total)
            for student in students:
                files = _artifacts(root, student, report)
                if report.has_errors_under(student.path + "/"):
                    result.skipped.append(student.id)
                    done += len(chosen)
                    continue
                result.students += 1
                for audience in chosen:
                    pages = _build_student(
                        builder, student, audience, context, roles, files, staging, options, records[student.id]
                    )
                    if pages:
                        result.pages += pages
                        result.sites += 1
                    done += 1
                    if progress:
                        progress(done, total)
        _write_assets(staging, theme_dir)
        (staging / "index.html").write_bytes(_root_page(options.site_name, roles.public))
        (staging / "404.html").write_bytes(
            _root_page(options.site_name, roles.public, "Page not found", "There is no page at this address.")
        )
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.seconds = time.perf_counter() - started
    return result


def _build_student(
    builder: SiteBuilder,
    student: Student,
    audience: str,
    context: Context,
    roles: Audiences,
    files: dict[str, bytes],
    staging: Path,
    options: Options,
    record: Record,
) -> int:
    viewer = Viewer(audience, options, context.framework)
    view = view_student(student, viewer)
    if view is None:
        return 0
    dest = f"{audience}/{student.id}"
    shown_record = view_record(record, view, viewer)
    curriculum = f"{roles.curriculum_for(audience)}/curriculum"
    lesson_url = "/".join([".."] * (len(Path(dest).parts) + 1) + [curriculum])
    site = student_site(
        view,
        context,
        audience,
        dest,
        files,
        lesson_url,
        (curriculum,),
        indexable=audience == roles.public,
        record=shown_record,
        full=viewer.full,
        deck=deck_page(view, context, shown_record, notes=audience == roles.student)
        if viewer.full or audience == options.conference
        else None,
    )
    return builder.build(site, staging / dest)


def _district_sites(
    root: Path,
    context: Context,
    roles: Audiences,
    chosen: tuple[str, ...],
    students: list[Student],
    report: Report,
    options: Options,
) -> list[Site]:
    sites: list[Site] = []
    label = AUDIENCE_TITLES.get
    if roles.public in chosen:
        sites.append(
            district_site(
                _content_pages(root, report), options.site_name, roles.public, roles.public, label(roles.public, "")
            )
        )
        sites.append(
            curriculum_site(context, roles.public, f"{roles.public}/curriculum", False, label(roles.public, ""))
        )
    if roles.educator in chosen:
        sites.append(
            curriculum_site(context, roles.educator, f"{roles.educator}/curriculum", True, label(roles.educator, ""))
        )
        sites.append(educator_index(students, context, roles.educator, label(roles.educator, "")))
    return sites


def _fatal(report: Report, message: str) -> IlpError:
    lines = [d.format() for d in report.sorted() if d.severity == "error"]
    return IlpError("\n".join([*lines, message]))
