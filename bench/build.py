"""Benchmark `ilp build`: the sample district scaled to N synthetic students.

Copies the sample students round-robin under new ids into a scratch repository
(with the real framework, lessons, roster and district pages), then builds every
audience. Prints students, sites, pages, seconds, sites/s, pages/s, peak memory
and the machine; the figures are medians of several runs in this one process.

    python bench/build.py [--students 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.check import machine  # noqa: E402
from generator.pipeline import build  # noqa: E402


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ilp-bench-") as scratch:
        root = Path(scratch) / "district"
        root.mkdir()
        scaled_district(root, args.students)
        times, last = [], None
        for _ in range(args.runs):
            last = build(root, Path(scratch) / "site")
            times.append(last.seconds)
        assert last is not None
        seconds = statistics.median(times)
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
