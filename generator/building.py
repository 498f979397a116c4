"""Stage 6 for a whole district: every site into the staging folder, on every core, keeping what is unchanged.

The work is split by student (and one part for the district's own sites): `groups` of sites that the
parent process names by number. With `jobs` > 1, worker processes forked after the district and its
history are loaded (where the system can fork; elsewhere one process builds all) take the groups
one at a time, each with its own site builder; the files a site writes depend only on the site, so
the output is the same byte for byte for any number of workers and in any order. A site whose key (generator/site/cache.py) is the one recorded for the last build
into the same output is not built again: its files are taken from there.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import Diagnostic, IlpError, Report
from generator.model.site import Site
from generator.signals import STOPPING
from generator.site import cache

if TYPE_CHECKING:  # MkDocs is imported only where a site is built: a build that keeps every site never needs it
    from generator.site.builder import SiteBuilder


@dataclass(frozen=True)
class Done:
    """What one group of sites gave: its sites' cache entries, pages written, how many were kept, and
    what `Job.groups` gave with its sites for the parent (a student's outcome)."""

    entries: tuple[tuple[str, cache.Entry], ...]
    pages: int
    reused: int
    summary: Any = None


@dataclass
class Job:
    """Everything a worker needs, set before the workers are forked (nothing of it is sent to them)."""

    # Group number -> its sites, made where they are built, and what the parent is to have of them (Done.summary).
    groups: Callable[[int], tuple[Sequence[Site], Any]]
    count: int
    staging: Path
    out: Path
    known: frozenset[str]
    previous: dict[str, cache.Entry]
    build_key: str
    make_builder: Callable[[], SiteBuilder]
    scopes: dict[str, str] | None = None  # with file URLs: cache.link_scopes of every file the sites link to
    # After every group: more groups of sites, made from what the groups gave (the start pages, from
    # the students' summaries), sent to the same workers.
    later: Callable[[], Sequence[Sequence[Site]]] | None = None
    # Whether each site's key and files' sizes and times are worked out (cache.site_key, cache.stats): only a
    # build that keeps a cache reads or records them; without one, every site is built and they would be
    # thrown away.
    keyed: bool = True


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


_JOB: Job | None = None
_BUILDER: SiteBuilder | None = None


def _builder(job: Job) -> SiteBuilder:
    global _BUILDER
    if _BUILDER is None:
        _BUILDER = job.make_builder()
        util.Finalize(_BUILDER, _BUILDER.close, exitpriority=10)
    return _BUILDER


def _run(number: int) -> Done:
    job = _JOB
    assert job is not None, "no build job was set before the workers started"
    sites, summary = job.groups(number)
    done = _build(job, sites)
    return Done(done.entries, done.pages, done.reused, summary)


def _run_given(sites: Sequence[Site]) -> Done:
    assert _JOB is not None, "no build job was set before the workers started"
    return _build(_JOB, sites)


def _build(job: Job, sites: Sequence[Site]) -> Done:
    entries, pages, reused = [], 0, 0
    for site in sites:
        scope = cache.scope_of(site, job.scopes) if job.scopes is not None else ""
        key = cache.site_key(site, job.build_key, scope) if job.keyed else ""
        site_dir = job.staging / site.dest
        old = job.previous.get(site.dest)
        if old is not None and old.key == key and cache.reuse(old, job.out, site_dir, site.dest):
            entries.append((site.dest, old))
            pages += old.pages
            reused += 1
            continue
        built = _builder(job).build(site, site_dir, job.known)
        files = cache.stats(site_dir, built.files) if job.keyed else ()
        entries.append((site.dest, cache.Entry(key, built.pages, files)))
        pages += built.pages
    return Done(tuple(entries), pages, reused)


def run(job: Job, jobs: int) -> Iterator[tuple[int, Done]]:
    """Build every group (group 0 first, alone: sites nested in its folders come after it), then the
    groups `job.later` makes; yields each group's number and result as it is done."""
    global _JOB, _BUILDER
    _JOB = job
    try:
        if job.count == 0:
            return
        yield 0, _run(0)
        rest = range(1, job.count)
        if jobs <= 1 or len(rest) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            for number in rest:
                yield number, _run(number)
            for number, sites in enumerate(job.later() if job.later else (), job.count):
                yield number, _build(job, sites)
            return
        if _BUILDER is not None:  # the parent's builder is not the workers'
            _BUILDER.close()
            _BUILDER = None
        # What the first process holds (the district, the history) is the workers' too: frozen, no collection
        # of theirs walks it, and none touches its pages (fork shares them until they are written).
        gc.freeze()
        try:
            yield from _in_workers(job, jobs, rest)
        finally:
            gc.unfreeze()
    finally:
        if _BUILDER is not None:
            _BUILDER.close()
        _JOB, _BUILDER = None, None


def _in_workers(job: Job, jobs: int, rest: range) -> Iterator[tuple[int, Done]]:
    context = multiprocessing.get_context("fork")
    level = logging.getLogger("mkdocs").level
    workers = ProcessPoolExecutor(min(jobs, len(rest)), mp_context=context, initializer=_quiet, initargs=(level,))
    try:
        yield from zip(rest, workers.map(_run, rest), strict=True)
        more = job.later() if job.later else ()
        yield from zip(range(job.count, job.count + len(more)), workers.map(_run_given, more), strict=True)
    except BrokenProcessPool:
        raise IlpError(
            "a worker process stopped while building (out of memory, or stopped by a signal?); nothing was replaced. "
            "Run ilp build --jobs 1 to see where"
        ) from None
    finally:
        # Stopped early (an error, Ctrl+C, SIGTERM): the groups not started are dropped, not built first.
        workers.shutdown(wait=True, cancel_futures=True)


def _quiet(level: int) -> None:
    logging.getLogger("mkdocs").setLevel(level)
    # A worker is forked from `ilp build`, whose SIGTERM and SIGHUP raise KeyboardInterrupt there.
    for number in STOPPING:
        signal.signal(number, _worker_stopped)


def _worker_stopped(signum: int, frame: object) -> None:
    """A worker told to stop (with its parent, as when a whole CI job is cancelled) deletes what its site
    builder has written, then ends at once; the parent, told too or finding it gone, cleans up the rest."""
    if _BUILDER is not None:
        _BUILDER.close()
    os._exit(128 + signum)
