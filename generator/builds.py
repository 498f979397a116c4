"""Stage 6 for a whole district: `build()`, every site into a staging folder, swapped into place.

The students whose files, history and district did not change since the last build into the same
folder are not loaded (generator/keeping.py); the others are loaded once, each by the worker that
builds them (`pipeline.defer` and `load_one`; with file URLs, all first by `pipeline.finish`), their
sites described and built by the workers (generator/building.py), each giving back the summary the
start pages are made from (generator/render/listing.py) and what their files showed; then the kept
sites (students', the district's own, the start pages) are taken as they are and the start pages are
built from every summary if any changed.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import building, pipeline
from generator.building import BuildResult
from generator.check.content import content_pages
from generator.check.district import District
from generator.check.options import load_options
from generator.config import Roles
from generator.errors import Diagnostic, Report
from generator.i18n import catalogs
from generator.keeping import Keeper, build_key
from generator.load.folders import student_folders
from generator.model import Student
from generator.model.site import Site
from generator.pipeline import Corpus, Deferred, _fatal, begin, finish, load_one, log
from generator.render.listing import Summary
from generator.resources import THEME_DIR
from generator.site import cache as site_cache
from generator.site import output, shards
from generator.site.shards import in_shard
from generator.sites import Views, district_sites, start_sites, student_sites, summarize

if TYPE_CHECKING:
    from generator.site.builder import SiteBuilder


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

    `jobs` worker processes build the students' sites; with `cache`, a student whose files, history and
    district did not change since the last build into `out` is not loaded again (their sites and
    summary are kept), and any other site whose description did not change is kept
    (generator/site/cache.py); with `shard` (I, N), only the students of part I of N are built, for
    `merge` to assemble.
    """
    started = time.perf_counter()
    output.check_output(root, out)
    with site_cache.locked(root, out) if cache else contextlib.nullcontext():
        return _build(root, out, today, only, audiences, progress, theme_dir, strict, jobs, cache, shard, started)


def _build(
    root: Path,
    out: Path,
    today: datetime.date | None,
    only: set[str] | None,
    audiences: tuple[str, ...] | None,
    progress: Callable[[int, int], None] | None,
    theme_dir: Path,
    strict: bool,
    jobs: int,
    cache: bool,
    shard: tuple[int, int] | None,
    started: float,
) -> BuildResult:
    keeper = Keeper(root, out, theme_dir, audiences, strict) if cache else None
    if shard is not None and not _file_urls(root):  # a part loads its own students only
        only = {name for name in student_folders(root) if in_shard(name, shard) and (only is None or name in only)}
    loaded, result, pending = _loaded(root, today, only, keeper, defer=True)
    district = loaded.district
    chosen = audiences or district.options.audiences
    roles = Roles(district.options)
    file_urls = not district.options.use_directory_urls
    key = keeper.key if keeper is not None else build_key(theme_dir, root, district, chosen, strict)
    prior = keeper.prior if keeper is not None else site_cache.Prior()
    # The district's own sites, kept without being described while content/ and the district's files are
    # as the last build left them (with directory URLs: else every site's files are named first).
    district_key = keeper.district_key() if keeper is not None and not file_urls and shard is None else ""
    kept_base = _kept_group(prior.district, district_key, prior, out)
    base: list[Site] = []
    if kept_base is None:
        found = Report()
        content = content_pages(root, found) if roles.public in chosen else {}
        result.report.extend(found)
        base = district_sites(loaded, chosen, content) if shard is None else []
        if len(found):  # kept only when their pages had nothing to report
            district_key = ""
    base_record = site_cache.KeptGroup(district_key, kept_base or tuple(s.dest for s in base)) if district_key else None
    by_id = {s.id: s for s in loaded.students}
    students = [n for n in (pending.names if pending else by_id) if shard is None or in_shard(n, shard)]
    kept = [k for k in loaded.kept if shard is None or in_shard(k.id, shard)]
    # `use_directory_urls: false`: every link names a file, checked against every site's files, so every
    # student's sites and the start pages are described first (a shard links to the others' sites too).
    planned: dict[str, list[Site]] = {}
    made: dict[str, Summary] = {}
    for student in loaded.students if file_urls else ():
        planned[student.id] = list(student_sites(loaded, student, chosen))
        made[student.id] = _summary(loaded, student, chosen, planned[student.id], file_urls)
    summaries = [*loaded.kept, *made.values()]
    starts = start_sites(loaded, chosen, summaries) if file_urls and shard is None else []
    known = output.shared_names(theme_dir)
    if file_urls:
        known |= {n for group in planned.values() for n in _names(group)} | {n for k in loaded.kept for n in k.names}
        known |= _names(base) | _names(starts)
        if shard is not None:
            known |= _names(district_sites(loaded, chosen, content_pages(root, Report())))
            known |= _names(start_sites(loaded, chosen, summaries))
    scopes = site_cache.link_scopes(frozenset(known)) if file_urls and cache else None
    entries: dict[str, site_cache.Entry] = {}
    total = (len(students) + len(kept)) * len(chosen) + len(base) + len(kept_base or ())
    done = 0

    def group(number: int) -> tuple[list[Site], Outcome | None]:
        if number == 0:
            return base, None
        name = students[number - 1]
        if pending is not None:
            return _load_group(pending, chosen, keeper.unchanged if keeper is not None else None, name)
        sites = planned[name] if planned else list(student_sites(loaded, by_id[name], chosen))
        return sites, Outcome(made.get(name) or _summary(loaded, by_id[name], chosen, sites, file_urls))

    def builder() -> SiteBuilder:
        from generator.site.builder import SiteBuilder  # MkDocs, only where a site is built

        return SiteBuilder(theme_dir, strict, file_urls, keep_external=True, district=root)

    level = logging.getLogger("mkdocs").level
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    moves: list[str] = []
    same: list[bool] = []  # whether the cache, as it is, already describes this build's output
    starts_key: list[str] = []  # the start pages' key (with the cache and directory URLs)
    start_dests: list[str] = []  # the start pages' folders

    def before_swap() -> list[str]:
        students = keeper.students(made, loaded.kept) if keeper is not None else {}
        starts_now = _starts(starts_key, start_dests)
        record = (entries, students, keeper.head, starts_now, base_record) if keeper is not None else None
        # A file read again (changed, or too recent to trust) is recorded with this build's time.
        unread = keeper is not None and keeper.read == 0
        same.append(unread and record == (prior.sites, prior.students, prior.head, prior.starts, prior.district))
        if not same[0]:  # until this build is in place: an interruption leaves no cache to trust
            site_cache.forget(root, out)
        return moves

    try:
        with output.staging(out, before_swap) as staging:

            def later() -> list[list[Site]]:
                # The kept students' sites, then the start pages, from every student's summary.
                # A kept site holding no other site's folder is moved in at the end (generator/site/moving.py).
                old_starts = prior.starts.sites if prior.starts is not None else ()
                dests = {*entries, *(dest for item in kept for dest in item.sites), *old_starts, *(kept_base or ())}
                holding = {d.rsplit("/", n)[0] for d in dests for n in range(1, d.count("/") + 1)}

                def keep(dest: str) -> None:
                    if dest in holding:
                        site_cache.reuse(prior.sites[dest], out, staging / dest, dest, checked=True)
                    else:
                        moves.append(dest)
                    entries[dest] = prior.sites[dest]
                    result.sites += 1
                    result.reused += 1
                    result.pages += prior.sites[dest].pages

                for dest in kept_base or ():
                    keep(dest)
                for item in kept:
                    for dest in item.sites:
                        keep(dest)
                    result.students += 1
                if shard is not None:
                    return []
                if starts:
                    ready = starts
                else:
                    summaries = sorted([*loaded.kept, *made.values()], key=_by_id)
                    if keeper is not None:
                        starts_key[:] = [keeper.starts_key(summaries)]
                        if _kept_group(prior.starts, starts_key[0], prior, out) is not None:
                            for dest in old_starts:
                                keep(dest)
                            start_dests[:] = old_starts
                            return []
                    ready = start_sites(loaded, chosen, summaries)
                start_dests[:] = [site.dest for site in ready]
                parts = _parts(len(ready), jobs)
                return [ready[n::parts] for n in range(parts)]

            job = building.Job(
                group, len(students) + 1, staging, out, frozenset(known), prior.sites, key, builder, scopes, later,
                keyed=keeper is not None,
            )  # fmt: skip
            for number, finished in building.run(job, jobs):
                entries.update(finished.entries)
                _count(result, finished)
                if finished.summary is not None:
                    _loaded_one(loaded, result, finished.summary, made)
                    if keeper is not None and finished.summary.changed and finished.summary.summary is not None:
                        keeper.forget(finished.summary.summary.id)
                done += len(finished.entries) if number == 0 or number > len(students) else len(chosen)
                if progress:
                    progress(done, total)
            if shard is None:
                language = catalogs.load(district.options.language, root)
                output.write_shared(staging, theme_dir, district.options, file_urls, language, sites=entries)
            else:
                staging.mkdir(parents=True, exist_ok=True)  # a part may hold no student
                fingerprint = f"{key}:{shards.district_fingerprint(root)}"
                mine = sorted((item for item in [*kept, *made.values()] if in_shard(item.id, shard)), key=_by_id)
                shards.write_marker(staging, shard, fingerprint, str(district.today), mine)
    finally:
        logging.getLogger("mkdocs").setLevel(level)
    result.warnings = _warnings(loaded)
    if keeper is not None and not same[0]:
        students_now = keeper.students(made, loaded.kept)
        starts_now = _starts(starts_key, start_dests)
        site_cache.save(root, out, key, entries, students_now, keeper.head, starts_now, keeper.taken, base_record)
    result.seconds = time.perf_counter() - started
    return result


def _kept_group(
    group: site_cache.KeptGroup | None, key: str, prior: site_cache.Prior, out: Path
) -> tuple[str, ...] | None:
    """The folders of sites the last build made from `key` (the start pages, or the district's own sites),
    if they are all still in `out` as it left them; None: they are made again."""
    if group is None or not key or group.key != key:
        return None
    if not all(site_cache.intact(prior.sites[dest], out, dest) for dest in group.sites):
        return None
    return group.sites


def _starts(key: list[str], dests: list[str]) -> site_cache.KeptGroup | None:
    """What the cache records of this build's start pages: their key, and the folders built or kept."""
    return site_cache.KeptGroup(key[0], tuple(dests)) if key else None


def _file_urls(root: Path) -> bool:
    """Whether mkdocs.yml says `use_directory_urls: false` (then every site's files are known to all)."""
    return not load_options(root)[0].use_directory_urls


def _summary(
    corpus: Corpus,
    student: Student,
    chosen: tuple[str, ...],
    sites: Sequence[Site],
    names: bool,
    views: Views | None = None,
) -> Summary:
    return summarize(corpus, student, chosen, [site.dest for site in sites], _names(sites) if names else (), views)


def _names(sites: Sequence[Site]) -> frozenset[str]:
    from generator.site.builder import file_names

    return frozenset(name for site in sites for name in file_names(site))


def _by_id(item: Summary) -> str:
    return item.id


def _parts(count: int, jobs: int) -> int:
    """How many groups `count` start pages are built in (a few per worker, so each gets its share)."""
    return min(count, max(1, jobs) * 4)


def _count(result: BuildResult, finished: building.Done) -> None:
    result.pages += finished.pages
    result.sites += len(finished.entries)
    result.reused += finished.reused
    result.students += finished.summary is not None and finished.summary.summary is not None


@dataclass(frozen=True)
class Outcome:
    """What building one student gave the parent: their summary (None: not built, for the errors in
    `diagnostics`), and what their files showed, when the student was loaded where it was built."""

    summary: Summary | None
    diagnostics: tuple[Diagnostic, ...] = ()
    skipped: tuple[str, ...] = ()
    changed: bool = False  # their files changed between the cache's look at them and their loading


def _load_group(
    pending: Deferred, chosen: tuple[str, ...], unchanged: Callable[[str], bool] | None, name: str
) -> tuple[list[Site], Outcome]:
    """One student loaded where their sites are built (generator/pipeline.py `defer`), their sites and outcome."""
    one, report = load_one(pending, name)
    # Once the files are read: are they still the ones the cache's key was made from?
    changed = unchanged is not None and not unchanged(name)
    if one is None:
        return [], Outcome(None, tuple(report), (name,))
    student = one.students[0]
    views = Views(one, student)
    sites = list(student_sites(one, student, chosen, views))
    return sites, Outcome(_summary(one, student, chosen, sites, False, views), tuple(report), changed=changed)


def _loaded_one(loaded: Corpus, result: BuildResult, outcome: Outcome, made: dict[str, Summary]) -> None:
    """A student's outcome taken in: their problems reported (warnings logged as they come), their summary kept."""
    loaded.report.extend(outcome.diagnostics)
    result.report.extend(d for d in outcome.diagnostics if d.severity == "error")
    for diagnostic in outcome.diagnostics:
        if diagnostic.severity == "warning":
            log.warning(diagnostic.format())
    result.skipped.extend(outcome.skipped)
    if outcome.summary is not None:
        made[outcome.summary.id] = outcome.summary


def _warnings(loaded: Corpus) -> list[str]:
    found = [d.format() for d in loaded.report.sorted() if d.severity == "warning"]
    if loaded.shallow:
        found.append("warning: the repository is a shallow clone: the change record is partial")
    return found


def _loaded(
    root: Path,
    today: datetime.date | None,
    only: set[str] | None,
    keep: Callable[[District, list[str]], dict[str, Summary]] | None = None,
    defer: bool = False,
) -> tuple[Corpus, BuildResult, Deferred | None]:
    """The corpus for a build, its errors and warnings reported (warnings logged); stops on the district's.

    With `defer` and directory URLs, the students are not loaded here but where each is built (the
    third value says how): their problems are reported as they come (`_loaded_one`)."""
    start = begin(root, today, only, keep=keep)
    district = start.district
    if start.district_report.errors or not district.complete:
        if start.reading is not None:
            start.reading.cancel()
        raise _fatal(start.district_report, "fix the configuration, framework, reference data and roster first")
    pending = pipeline.defer(start) if defer and district.options.use_directory_urls else None
    loaded = pending.corpus if pending is not None else finish(start)
    report = Report()
    report.extend(d for d in loaded.report if d.severity == "error")
    result = BuildResult(report, skipped=list(loaded.skipped), warnings=_warnings(loaded))
    for warning in result.warnings:
        log.warning(warning)
    return loaded, result, pending
