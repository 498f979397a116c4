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

from generator import building
from generator.check.content import content_pages
from generator.check.district import District, load_district
from generator.check.student import load_student
from generator.config import Roles
from generator.errors import Diagnostic, IlpError, Report
from generator.history.changes import by_folder, student_record
from generator.history.git import start as start_history
from generator.history.record import Record
from generator.i18n import catalogs
from generator.load.documents import LoadError, read_bytes
from generator.load.folders import markdown_files, student_folders
from generator.model import Student
from generator.model.site import Site
from generator.render.student import AUDIENCE_TITLES, Context
from generator.sanitize import UnsafeSvg, clean_svg
from generator.site import cache as site_cache
from generator.site import output, shards
from generator.site.builder import THEME_DIR, SiteBuilder, file_names, site_builder
from generator.site.shards import in_shard
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
    # git reads the log in its own process while the files load; for some students only, their folders'.
    guess = ["students/"] if only is None else [f"students/{name}/" for name in student_folders(root) if name in only]
    reading = start_history(root, guess) if history else None
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
        paths = ["students/"] if only is None else [f"{s.path}/" for s in students]
        assert reading is not None
        if set(paths) != set(guess):  # some of `only` were left out: git reads the others' folders only
            reading.cancel()
            reading = start_history(root, paths)
        found = reading.history(wanted)
        shallow = found.shallow
        for folder, reason in sorted(found.unreadable.items()):
            report.warning(
                folder.rstrip("/"),
                1,
                f"git cannot read this student's repository ({reason}); their change record is left out",
            )
        folders = by_folder(found)
        records = {s.id: student_record(found, s, district.roster, folders.get(f"{s.path}/", [])) for s in students}
    elif reading is not None:
        reading.cancel()
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
    reused: int = 0  # sites kept from the last build (the cache)

    @property
    def warning_count(self) -> int:
        return len(self.warnings)

    @property
    def errors(self) -> list[Diagnostic]:
        return self.report.errors

    def summary(self) -> str:
        errors = len(self.errors)
        return (
            f"ilp build: {self.students} students, {self.sites} sites"
            + (f" ({self.reused} unchanged, kept)" if self.reused else "")
            + f", {self.pages} pages, "
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
    jobs: int = 1,
    cache: bool = False,
    shard: tuple[int, int] | None = None,
) -> BuildResult:
    """Build every site into `out` (replaced whole at the end); with `strict`, MkDocs' own warnings stop it.

    `jobs` worker processes build the students' sites; with `cache`, a site whose description did not
    change since the last build into `out` is kept from it (generator/site/cache.py); with `shard`
    (I, N), only the students of part I of N are built, for `merge` to assemble.
    """
    started = time.perf_counter()
    output.check_output(root, out)
    loaded, result = _loaded(root, today, only)
    district = loaded.district
    chosen = audiences or district.options.audiences
    roles = Roles(district.options)
    if shard is None:
        sites = district_sites(loaded, chosen, content_pages(root, result.report) if roles.public in chosen else {})
    else:
        sites = []
    students = [s for s in loaded.students if shard is None or in_shard(s.id, shard)]
    # `use_directory_urls: false`: every link names a file, checked against every site's files (made first,
    # of every student: a shard links to the others' sites too).
    file_urls = not district.options.use_directory_urls
    planned = [*(list(student_sites(loaded, s, chosen)) for s in loaded.students)] if file_urls else []
    known = output.shared_names(theme_dir) | {name for group in planned for site in group for name in file_names(site)}
    if file_urls and shard is not None:
        known |= {
            name for site in district_sites(loaded, chosen, content_pages(root, Report())) for name in file_names(site)
        }
    known |= {name for site in sites for name in file_names(site)} if file_urls else frozenset()
    settings = {"strict": strict, "file_urls": file_urls, "chosen": chosen, "today": str(loaded.district.today)}
    key = site_cache.build_key(theme_dir, root, settings, output.shared_names(theme_dir))
    previous = site_cache.load(root, out, key) if cache else {}
    site_cache.forget(root, out)  # until this build is in place: an interruption leaves no cache to trust
    by_student = {s.id: i for i, s in enumerate(loaded.students)}

    def group(number: int) -> list[Site]:
        if number == 0:
            return sites
        student = students[number - 1]
        return planned[by_student[student.id]] if planned else list(student_sites(loaded, student, chosen))

    entries: dict[str, site_cache.Entry] = {}
    total = len(students) * len(chosen) + len(sites)
    done = 0
    level = logging.getLogger("mkdocs").level
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        with output.staging(out) as staging:
            job = building.Job(
                group,
                len(students) + 1,
                staging,
                out,
                frozenset(known),
                previous,
                key,
                lambda: SiteBuilder(theme_dir, strict, file_urls, keep_external=True, district=root),
                site_cache.link_scopes(frozenset(known)) if file_urls and cache else None,
            )
            for number, finished in building.run(job, jobs):
                entries.update(finished.entries)
                result.pages += finished.pages
                result.sites += len(finished.entries)
                result.reused += finished.reused
                result.students += number > 0
                done += len(finished.entries) if number == 0 else len(chosen)
                if progress:
                    progress(done, total)
            if shard is None:
                language = catalogs.load(district.options.language, root)
                output.write_shared(staging, theme_dir, district.options, file_urls, language)
            else:
                staging.mkdir(parents=True, exist_ok=True)  # a part may hold no student
                fingerprint = f"{key}:{shards.district_fingerprint(root)}"
                shards.write_marker(staging, shard, fingerprint, str(district.today), [s.id for s in students])
    finally:
        logging.getLogger("mkdocs").setLevel(level)
    if cache:
        site_cache.save(root, out, key, entries)
    result.seconds = time.perf_counter() - started
    return result


def merge(
    root: Path,
    parts: list[Path],
    out: Path,
    today: datetime.date | None = None,
    audiences: tuple[str, ...] | None = None,
    theme_dir: Path = THEME_DIR,
    strict: bool = False,
) -> BuildResult:
    """The site `build` makes, from the shards `build(shard=...)` made of it: the shared sites (district
    pages, lessons, start pages and dashboards, assets) built here, every part's folders taken in."""
    started = time.perf_counter()
    output.check_output(root, out)
    for part in parts:
        if part.resolve() == out.resolve():
            raise IlpError(f"--merge {part}: the merged site must go to another folder than its parts")
    loaded, result = _loaded(root, today, None)
    district = loaded.district
    chosen = audiences or district.options.audiences
    roles = Roles(district.options)
    sites = district_sites(loaded, chosen, content_pages(root, result.report) if roles.public in chosen else {})
    file_urls = not district.options.use_directory_urls
    known = output.shared_names(theme_dir)
    if file_urls:
        planned = [site for s in loaded.students for site in student_sites(loaded, s, chosen)]
        known |= {name for site in [*planned, *sites] for name in file_names(site)}
    settings = {"strict": strict, "file_urls": file_urls, "chosen": chosen, "today": str(district.today)}
    key = site_cache.build_key(theme_dir, root, settings, output.shared_names(theme_dir))
    ordered = shards.check_parts(parts, f"{key}:{shards.district_fingerprint(root)}", str(district.today))
    with output.staging(out) as staging, site_builder(theme_dir, strict, file_urls, True, root) as builder:
        for site in sites:
            result.pages += builder.build(site, staging / site.dest, frozenset(known)).pages
            result.sites += 1
        for part in ordered:
            shards.copy_in(part, staging)
        output.write_shared(
            staging, theme_dir, district.options, file_urls, catalogs.load(district.options.language, root)
        )
    result.students = len(loaded.students)
    result.seconds = time.perf_counter() - started
    return result


def _loaded(root: Path, today: datetime.date | None, only: set[str] | None) -> tuple[Corpus, BuildResult]:
    """The corpus for a build, its errors and warnings reported (warnings logged); stops on the district's."""
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
    return loaded, result


def _fatal(report: Report, message: str) -> IlpError:
    lines = [d.format() for d in report.sorted() if d.severity == "error"]
    return IlpError("\n".join([*lines, message]))
