"""Benchmark the history stage: the synthetic district of bench/district.py (N students x 30 commits,
30,000 commits for the default 1,000 students).

Makes the district (setup, not timed) and loads it once to know the files corpus() asks git for
(each student's goals.yml and pages), then, in each run:

- the history stage alone, as corpus() calls it: one `git log --raw` pass over students/ with rename
  detection, and every version of those files by blob id through one `git cat-file --batch`
  process (generator.history.git.read_history), in wall-clock seconds and CPU seconds (Python's
  and git's);
- the stage as a build runs it: the log started, then the students' files loaded while git works,
  and what is left of the stage once they are loaded;
- the change records of every student made from that history.

Prints medians of the runs and the machine.

    python bench/history.py [--students 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.check import machine  # noqa: E402
from bench.district import make_district  # noqa: E402
from generator import pipeline  # noqa: E402
from generator.history.changes import by_folder, student_record  # noqa: E402
from generator.history.git import read_history, start  # noqa: E402


def cpu() -> float:
    """CPU seconds used so far by this process and the git processes it waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ilp-bench-history-") as scratch:
        root = Path(scratch) / "district"
        made = make_district(root, args.students)
        loaded = pipeline.corpus(root, history=False, artifacts=False)
        students = list(loaded.students)
        roster = loaded.district.roster or {}
        wanted = [path for s in students for path in (f"{s.path}/goals.yml", *(p.path for p in s.pages))]
        alone, used, loading, left, records = [], [], [], [], []
        for _ in range(args.runs):
            started, before = time.perf_counter(), cpu()
            history = read_history(root, wanted, ["students/"])
            alone.append(time.perf_counter() - started)
            used.append(cpu() - before)

            started = time.perf_counter()
            reading = start(root, ["students/"])
            pipeline.corpus(root, history=False, artifacts=False)
            loaded_at = time.perf_counter()
            found = reading.history(wanted)
            loading.append(loaded_at - started)
            left.append(time.perf_counter() - loaded_at)
            assert found == history

            started = time.perf_counter()
            folders = by_folder(history)
            for student in students:
                student_record(history, student, roster, folders.get(f"{student.path}/", []))
            records.append(time.perf_counter() - started)
        print(f"machine: {machine()}")
        print(
            f"students: {len(students)}, commits: {len(history.commits)}, versions read: {len(history.versions)} "
            f"(district made in {made:.1f} s)"
        )
        print(f"runs: {args.runs} (medians)")
        print(f"history stage: {spread(alone)} (git log pass and every version, one cat-file process)")
        print(f"history stage CPU: {spread(used)} (Python and git together)")
        print(f"loading the students while git reads the log: {spread(loading)}")
        print(f"history stage left after loading: {spread(left)}")
        print(f"change records: {spread(records)} (every student's, from that history)")


if __name__ == "__main__":
    main()
