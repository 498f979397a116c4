"""Benchmark `ilp build`: the sample district scaled to N synthetic students.

Copies the sample students round-robin under new ids into a scratch repository
(with the real framework, lessons, roster and district pages), then builds every
audience. Prints students, sites, pages, seconds, sites/s, pages/s, peak memory
and the machine; the figures are medians of several runs in this one process.

    python bench/build.py [--students 100] [--runs 3] [--dashboards]

With --dashboards it also builds the same district without the educators' dashboards (their start
pages left out), run for run in turn, and prints what the dashboards add: the median of the two
and the ratio of each pair.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.check import machine  # noqa: E402
from generator import pipeline  # noqa: E402
from generator.pipeline import build  # noqa: E402


def without_dashboards() -> Callable[[], None]:
    """Make the builds that follow leave out the educators' start pages (their dashboards); returns the undo."""
    original = pipeline.start_sites

    def others(corpus: pipeline.Corpus, chosen: tuple[str, ...]) -> list[object]:
        return [site for site in original(corpus, chosen) if not site.dest.startswith("educator/_")]

    pipeline.start_sites = others  # type: ignore[assignment]

    def undo() -> None:
        pipeline.start_sites = original

    return undo


def scaled_district(target: Path, students: int) -> None:
    for name in ("mkdocs.yml", "curriculum", "content", "theme"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy(source, target / name)
    (target / "students").mkdir()
    shutil.copy(REPO / "students" / "roster.yml", target / "students" / "roster.yml")
    samples = sorted(p for p in (REPO / "students").iterdir() if p.is_dir())
    for index in range(students):
        sample = samples[index % len(samples)]
        shutil.copytree(sample, target / "students" / f"{sample.name}-{index:04d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dashboards", action="store_true", help="also measure what the dashboards add")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ilp-bench-") as scratch:
        root = Path(scratch) / "district"
        root.mkdir()
        scaled_district(root, args.students)
        times, last = [], None
        bare: list[float] = []
        for _ in range(args.runs):
            last = build(root, Path(scratch) / "site")
            times.append(last.seconds)
            if args.dashboards:
                undo = without_dashboards()
                try:
                    bare.append(build(root, Path(scratch) / "site").seconds)
                finally:
                    undo()
        assert last is not None
        seconds = statistics.median(times)
        if bare:
            ratios = [with_ / without for with_, without in zip(times, bare, strict=True)]
            print(f"without dashboards: {statistics.median(bare):.2f} s (median of {len(bare)})")
            print(f"dashboards add: {(statistics.median(ratios) - 1) * 100:.1f} % (median of the pairs' ratios)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"machine: {machine()}")
        print(f"runs: {args.runs} (median; min {min(times):.2f} s, max {max(times):.2f} s)")
        print(f"students: {last.students}")
        print(f"sites: {last.sites}")
        print(f"pages: {last.pages}")
        print(f"errors: {len(last.errors)}")
        print(f"seconds: {seconds:.2f}")
        print(f"sites/s: {last.sites / seconds:.1f}  ({seconds / last.sites * 1000:.0f} ms a site)")
        print(f"pages/s: {last.pages / seconds:.0f}")
        print(f"peak memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
