"""Benchmark `ilp check`: one student, and the whole sample district, as a user runs them.

Each figure is the median of several runs of the installed `ilp` command in a
fresh process (Python start-up and imports included), the way a student or a
pre-commit hook runs it.

    python bench/check.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


def timed(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    ilp = shutil.which("ilp", path=str(Path(sys.executable).parent)) or "ilp"
    students = sorted(p.parent.name for p in (REPO / "students").glob("*/profile.yml"))
    print(f"machine: {machine()}")
    print(f"runs: {args.runs} (median, min, max in seconds)")
    for label, command in (
        ("ilp --version (start-up)", [ilp, "--version"]),
        (f"ilp check students/{students[0]}", [ilp, "check", f"students/{students[0]}"]),
        (f"ilp check (whole district, {len(students)} students)", [ilp, "check"]),
    ):
        times = timed(command, args.runs)
        print(f"{label}: {statistics.median(times):.3f}  ({min(times):.3f} - {max(times):.3f})")


if __name__ == "__main__":
    main()
