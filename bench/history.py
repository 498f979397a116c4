"""Benchmark the history stage: N synthetic students x 30 commits each.

Makes a repository with `git fast-import` (setup, not timed), then times, in one
process, the stage as the build runs it: one `git log` pass over students/ with
rename detection, and reading every version of each student's goals.yml through
one `git cat-file --batch` process. Prints medians of several runs and the machine.

    python bench/history.py [--students 500] [--commits 30] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.check import machine  # noqa: E402
from generator.history.git import read_history  # noqa: E402


def fast_import_stream(students: int, commits: int) -> bytes:
    out: list[bytes] = []
    mark = 0
    start = 1756700000  # 2025-09-01
    for step in range(commits):
        for n in range(students):
            mark += 1
            goals = f"goals:\n  - id: g{n}\n    domain: academic\n    term: short\n    statement: Step {step} for {n}\n    status: in-progress\n"
            data = goals.encode()
            when = start + (step * students + n) * 60
            message = f"Update goals of s{n:04d} ({step})".encode()
            out.append(b"commit refs/heads/main\n")
            out.append(f"mark :{mark}\n".encode())
            out.append(f"author Student {n} <s{n}@example.org> {when} +0000\n".encode())
            out.append(f"committer Student {n} <s{n}@example.org> {when} +0000\n".encode())
            out.append(f"data {len(message)}\n".encode() + message + b"\n")
            if mark > 1:
                out.append(f"from :{mark - 1}\n".encode())
            out.append(f"M 100644 inline students/s{n:04d}/goals.yml\ndata {len(data)}\n".encode() + data + b"\n")
            if step == commits // 2:
                page = f"---\ntitle: Page {n}\n---\nText.\n".encode()
                out.append(
                    f"M 100644 inline students/s{n:04d}/self-awareness/p.md\ndata {len(page)}\n".encode() + page + b"\n"
                )
    return b"".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--commits", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ilp-bench-history-") as scratch:
        root = Path(scratch)
        subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
        subprocess.run(
            ["git", "fast-import", "--quiet"],
            cwd=root,
            input=fast_import_stream(args.students, args.commits),
            check=True,
        )
        subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)
        wanted = [f"students/s{n:04d}/goals.yml" for n in range(args.students)]
        log_times, full_times = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            history = read_history(root)
            log_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            history = read_history(root, wanted)
            full_times.append(time.perf_counter() - started)
        log, full = statistics.median(log_times), statistics.median(full_times)
        from generator.history.changes import by_folder, student_record
        from generator.model import Student

        started = time.perf_counter()
        folders = by_folder(history)
        for n in range(args.students):
            student = Student(f"s{n:04d}", f"students/s{n:04d}", {}, (), {}, (), (), (), ())
            student_record(history, student, {}, folders.get(f"students/s{n:04d}/", []))
        records = time.perf_counter() - started
        print(f"machine: {machine()}")
        print(
            f"students: {args.students}, commits: {len(history.commits)}, goals.yml versions read: {len(history.versions)}"
        )
        print(f"runs: {args.runs} (medians)")
        print(f"git log pass (one process): {log:.2f} s")
        print(
            f"log pass + every goals.yml version through cat-file --batch: {full:.2f} s ({full - log:.2f} s for the versions)"
        )
        print(f"change records of all {args.students} students from that history: {records:.2f} s")


if __name__ == "__main__":
    main()
