"""Benchmark `ilp build` at district scale: N synthetic students with a real git history.

Makes the district of bench/district.py (the sample scaled to N students, 30 commits each), then,
for each of `--runs` runs, in this one process:

- full build: no cache, into a new empty folder, `--jobs` worker processes (default: the machine's cores),
  then one (`--full-only`: only these); nothing is deleted until the end (see `Folders`);
- first build with an empty cache (it records the cache), then the no-change rebuild (the same
  build again into the same output) and the one-student rebuild (one page of one student edited,
  not committed, as a student previewing their change), each again as `ilp build` in a fresh process
  (Python's start-up and the imports included, as a user or CI runs it);
- the shards (`--shards`, 2) built one after another with `--jobs` each, then their merge;
- the history stage: the one `git log` pass and the versions it reads (generator.history.git),
  then every student's change record from it, as `corpus()` does (in a child process, so that what
  it holds is not in the process the next run's builds start from).

It prints the medians of the runs: seconds, sites and pages per second, the cores used (CPU time
of this process and its children over the wall time), the peak memory, the size of the output
and of the git history, and the machine. Peak
memory is measured two ways: every process of the build together (their proportional set sizes
summed, sampled four times a second: shared pages counted once), and getrusage's high-water
marks of this process and of its largest child. A figure the installed `build()` cannot give
(no `jobs` or `cache` parameter) is printed as n/a.

    python bench/build.py [--students 1000] [--runs 3] [--jobs N] [--commits 30] [--shards 2]

`--dashboards`, which compared builds with and without the educators' dashboards, is gone: the
dashboards are part of every build measured here.
"""

from __future__ import annotations

import argparse
import inspect
import logging
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.check import machine  # noqa: E402
from bench.district import make_district  # noqa: E402
from generator import pipeline  # noqa: E402
from generator.history.changes import by_folder, student_record  # noqa: E402
from generator.history.git import read_history  # noqa: E402

MIB = 1024 * 1024


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Memory:
    """The peak of the memory of this process and its descendants (Pss summed), sampled in a thread."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.available = Path("/proc/self/smaps_rollup").is_file()

    def __enter__(self) -> Memory:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()

    def reset(self) -> int:
        peak, self.peak = self.peak, self.now()
        return peak

    def now(self) -> int:
        return sum(_pss(pid) for pid in _tree(os.getpid())) if self.available else 0

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.now())


def _tree(root: int) -> list[int]:
    """`root` and its descendants, from /proc/<pid>/stat."""
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Folders:
    """New folders for the timed builds, and nothing deleted until the benchmark is done.

    Where ext4 runs without a journal (as on many virtual machines), creating a file is slow for about a
    minute after many files were deleted: the kernel passes over each recently freed inode before it
    takes one. Deleting the last run's output (82,000 files for 1,000 students) right before a build
    made that build's own file creation several times slower, and the build 8 s slower. So every timed
    build writes into a folder of its own, what must go is renamed aside, and all of it is deleted at the
    end (the disk holds every output until then: about 9 GiB for 1,000 students and 3 runs).
    """

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.made: dict[str, list[Path]] = {}
        self._aside = scratch / "set-aside"

    def fresh(self, name: str) -> Path:
        made = self.made.setdefault(name, [])
        made.append(self.scratch / f"{name}-{len(made) + 1}")
        return made[-1]

    def set_aside(self, path: Path) -> None:
        if path.exists():
            self._aside.mkdir(exist_ok=True)
            path.rename(self._aside / f"{len(list(self._aside.iterdir()))}-{path.name}")

    def delete(self) -> None:
        for made in self.made.values():
            for path in made:
                shutil.rmtree(path, ignore_errors=True)
        shutil.rmtree(self._aside, ignore_errors=True)


@dataclass
class Timed:
    seconds: float
    cpu: float  # CPU seconds of this process and its children
    memory: int  # peak bytes of every process together (0: not measured)
    result: Any = None

    @property
    def cores(self) -> float:
        return self.cpu / self.seconds


def timed(call: Callable[[], Any], memory: Memory) -> Timed:
    memory.reset()
    before, started = os.times(), time.perf_counter()
    result = call()
    seconds, after = time.perf_counter() - started, os.times()
    cpu = sum(getattr(after, f) - getattr(before, f) for f in ("user", "system", "children_user", "children_system"))
    return Timed(seconds, cpu, memory.reset(), result)


@dataclass
class Figures:
    full: list[Timed] = field(default_factory=list)  # cache off, --jobs workers
    single: list[Timed] = field(default_factory=list)  # cache off, one process
    first: list[Timed] = field(default_factory=list)  # cache on, empty cache
    unchanged: list[Timed] = field(default_factory=list)
    one: list[Timed] = field(default_factory=list)
    shard: list[Timed] = field(default_factory=list)  # the slowest of --shards shards, cache off
    merge: list[Timed] = field(default_factory=list)
    unchanged_command: list[Timed] = field(default_factory=list)  # the same, `ilp build` in a fresh process
    one_command: list[Timed] = field(default_factory=list)
    log: list[float] = field(default_factory=list)  # the history's git pass and versions
    records: list[float] = field(default_factory=list)  # the change records from it


def history_stage(root: Path) -> tuple[float, float]:
    """Seconds to read the history as corpus() does, then to make every change record from it (the
    students loaded first, not timed, and let go after: the builds are measured without them held here)."""
    loaded = pipeline.corpus(root, history=False, artifacts=False)
    students, roster = list(loaded.students), loaded.district.roster or {}
    wanted = [path for s in students for path in (f"{s.path}/goals.yml", *(p.path for p in s.pages))]
    started = time.perf_counter()
    found = read_history(root, wanted, ["students/"])
    read = time.perf_counter() - started
    folders = by_folder(found)
    for s in students:
        student_record(found, s, roster, folders.get(f"{s.path}/", []))
    return read, time.perf_counter() - started - read


@contextmanager
def edited(page: Path, run: int) -> Iterator[None]:
    """One student's page with one more sentence, as they would edit it before committing."""
    text = page.read_text(encoding="utf-8")
    page.write_text(text + f"\nOne more sentence, written for run {run + 1} of the benchmark.\n", encoding="utf-8")
    try:
        yield
    finally:
        page.write_text(text, encoding="utf-8")


def sharded(root: Path, folders: Folders, count: int, jobs: int, memory: Memory, figures: Figures) -> None:
    """Each of `count` shards built (one after another here, on N machines in CI), then the merge."""
    parts = [folders.fresh(f"shard-{n}") for n in range(1, count + 1)]  # each into a new folder, as the full builds
    times = [
        timed(partial(pipeline.build, root, part, jobs=jobs, shard=(n, count)), memory)
        for n, part in enumerate(parts, 1)
    ]
    figures.shard.append(max(times, key=lambda t: t.seconds))
    merge = _merge()
    assert merge is not None
    extra = {"jobs": jobs} if "jobs" in inspect.signature(merge).parameters else {}
    figures.merge.append(timed(partial(merge, root, parts, folders.fresh("merged"), **extra), memory))


def _merge() -> Callable[..., Any] | None:
    """The installed merge(): generator.merging's, or the pipeline's in earlier versions."""
    try:
        from generator.merging import merge
    except ImportError:
        return getattr(pipeline, "merge", None)
    return merge


def command(root: Path, out: Path, jobs: int) -> Callable[[], Any]:
    """`ilp build` in a fresh process (start-up and imports included), as a user or CI runs it."""
    args = [sys.executable, "-m", "generator.cli", "build", "--root", str(root), "--out", str(out)]
    args += ["--jobs", str(jobs)]

    def run() -> Any:
        done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"ilp build failed:\n{done.stderr[-2000:]}")
        return None

    return run


def measure(root: Path, folders: Folders, runs: int, jobs: int, shards: int = 2, full_only: bool = False) -> Figures:
    params = inspect.signature(pipeline.build).parameters
    parallel, cached = "jobs" in params, "cache" in params
    # One student's page to edit, found without loading the district: this process holds no student while
    # it measures the builds' memory (every process of the build is counted, this one too).
    first = sorted(d.name for d in (root / "students").iterdir() if d.is_dir())[0]
    student = SimpleNamespace(id=first)
    page = Path(
        min(
            p
            for p in (root / "students" / first).rglob("*.md")
            if "/artifacts/" not in p.as_posix() and p.name != "conference.md"
        )
    )
    figures = Figures()
    pipeline.build(root, folders.fresh("warm-up"), only={student.id})  # imports and the theme's templates, not timed
    with Memory() as memory:
        for run in range(runs):
            # Each full build into a new empty folder, and nothing deleted before it (see Folders).
            if parallel:
                figures.full.append(timed(partial(pipeline.build, root, folders.fresh("site"), jobs=jobs), memory))
                figures.single.append(timed(partial(pipeline.build, root, folders.fresh("site"), jobs=1), memory))
            else:
                figures.single.append(timed(partial(pipeline.build, root, folders.fresh("site")), memory))
            if full_only:
                continue
            if cached:
                folders.set_aside(root / ".ilp-cache")
                incremental = folders.fresh("site-cached")
                again = partial(pipeline.build, root, incremental, cache=True, **({"jobs": jobs} if parallel else {}))
                figures.first.append(timed(again, memory))
                figures.unchanged.append(timed(again, memory))
                with edited(page, run):
                    figures.one.append(timed(again, memory))
                again()  # the page as it was, built again (not timed): what follows starts from no change
                figures.unchanged_command.append(timed(command(root, incremental, jobs), memory))
                with edited(page, run + runs):
                    figures.one_command.append(timed(command(root, incremental, jobs), memory))
            if "shard" in params and _merge() is not None:
                sharded(root, folders, shards, jobs, memory, figures)
            # In a process of its own: this one never holds the records, so the next run's builds fork from
            # the process they forked from in the first run, and its memory is not theirs.
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as child:
                read, records = child.submit(history_stage, root).result()
            figures.log.append(read)
            figures.records.append(records)
    return figures


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    return f"median of {len(values)}: {median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def rebuilt(figure: list[Timed], label: str) -> str:
    if not figure:
        return f"{label}: n/a (build() has no cache parameter)"
    last = figure[-1].result
    kept = getattr(last, "reused", None)
    kept_text = f", {kept} of {last.sites} sites kept" if kept is not None else ""
    return f"{label}: {spread([t.seconds for t in figure])}{kept_text}"


def report(figures: Figures, students: int, commits: int, made: float, jobs: int, shards: int) -> list[str]:
    main = figures.full or figures.single
    last = main[-1].result
    seconds = median([t.seconds for t in main])
    lines = [
        f"machine: {machine()}",
        f"students: {last.students} ({students} made, {commits} commits each; district made in {made:.1f} s)",
        f"sites: {last.sites}",
        f"pages: {last.pages}",
        f"errors: {len(last.errors)}, warnings: {len(last.warnings)} (not printed)",
        f"runs: {len(main)} (every figure is the median of the runs)",
    ]
    if figures.full:
        lines.append(f"full build, {jobs} jobs, no cache: {spread([t.seconds for t in figures.full])}")
    else:
        lines.append(f"full build, {jobs} jobs, no cache: n/a (build() has no jobs parameter)")
    single = median([t.seconds for t in figures.single])
    lines.append(f"full build, 1 job, no cache: {spread([t.seconds for t in figures.single])}")
    lines.append(f"jobs speed-up: {single / seconds:.2f}x" if figures.full else "jobs speed-up: n/a")
    lines.append(f"sites/s: {last.sites / seconds:.1f} ({seconds / last.sites * 1000:.1f} ms a site)")
    lines.append(f"pages/s: {last.pages / seconds:.0f}")
    lines.append(f"cost per student: {seconds / last.students * 1000:.1f} ms (full build time / students)")
    cpu = median([t.cpu for t in main])
    lines.append(f"CPU time: {cpu:.1f} s, {cpu / last.students * 1000:.0f} ms a student (full build, every process)")
    used = median([t.cores for t in main])
    lines.append(f"cores used: {used:.2f} of {cores()} (CPU time of every process / wall time, full build)")
    if not figures.log:  # --full-only
        return [*lines, peak_line(figures, jobs)]
    lines.append(rebuilt(figures.first, "first build with an empty cache"))
    lines.append(rebuilt(figures.unchanged, "no-change rebuild"))
    lines.append(rebuilt(figures.one, "one-student rebuild"))
    if figures.unchanged_command:
        lines.append(
            f"no-change rebuild, ilp build in a new process: {spread([t.seconds for t in figures.unchanged_command])}"
        )
        lines.append(
            f"one-student rebuild, ilp build in a new process: {spread([t.seconds for t in figures.one_command])}"
        )
    if figures.shard:
        part, merged = figures.shard[-1].result, figures.merge[-1].result
        shard_line = f"{spread([t.seconds for t in figures.shard])}, {part.students} students, {part.sites} sites"
        lines.append(f"slowest of {shards} shards, {jobs} jobs: {shard_line}")
        lines.append(
            f"merge of {shards} shards: {spread([t.seconds for t in figures.merge])}, {merged.sites} sites built"
        )
    else:
        lines.append(f"slowest of {shards} shards: n/a (build() has no shard parameter, or no merge())")
    lines.append(f"history stage: {spread(figures.log)} (git log pass and file versions)")
    lines.append(f"change records: {spread(figures.records)} (every student's, from that history)")
    lines.append(peak_line(figures, jobs))
    return lines


def storage(root: Path, out: Path) -> str:
    """The size of the output of a full build and of the repository's git history."""
    files = [p for p in out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    history = sum(p.stat().st_size for p in (root / ".git").rglob("*") if p.is_file())
    return f"storage: output {size / MIB:.1f} MiB in {len(files)} files; git history {history / MIB:.1f} MiB"


def peak_line(figures: Figures, jobs: int) -> str:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rusage = f"getrusage: this process {own:.0f} MiB, largest child {child:.0f} MiB"
    every = [t.memory for group in (figures.full, figures.single, figures.first) for t in group]
    if not any(every):
        return f"peak memory: {rusage}"
    parts = []
    if figures.full:
        parts.append(f"{max(t.memory for t in figures.full) / MIB:.0f} MiB with {jobs} jobs")
    parts.append(f"{max(t.memory for t in figures.single) / MIB:.0f} MiB with 1 job")
    return f"peak memory: {', '.join(parts)} (every process, Pss); {rusage}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=cores(), help="worker processes (default: the machine's cores)")
    parser.add_argument("--commits", type=int, default=30, help="commits per student")
    parser.add_argument("--shards", type=int, default=2, help="shards built one after another, then merged")
    parser.add_argument("--no-commit-graph", action="store_true", help="no git index of changed paths")
    parser.add_argument("--full-only", action="store_true", help="the full builds only (2 jobs and 1)")
    args = parser.parse_args()
    logging.getLogger("mkdocs.plugins.ilp").disabled = True  # the sample's warnings, once a student and build
    with tempfile.TemporaryDirectory(prefix="ilp-bench-") as scratch:
        root = Path(scratch) / "district"
        made = make_district(root, args.students, args.commits, not args.no_commit_graph)
        folders = Folders(Path(scratch))
        figures = measure(root, folders, args.runs, args.jobs, args.shards, args.full_only)
        lines = report(figures, args.students, args.commits, made, args.jobs, args.shards)
        graph = "no" if args.no_commit_graph else "yes, with changed paths (content/scaling.md)"
        lines.insert(2, f"git commit-graph: {graph}")
        for line in [*lines, storage(root, folders.made["site"][-1])]:
            print(line, flush=True)
        folders.delete()


if __name__ == "__main__":
    main()
