"""Benchmark `ilp check`: one student, and the whole sample district, as a user runs them.

Each figure is the median of several runs of the installed `ilp` command in a
fresh process (Python start-up and imports included), the way a student or a
pre-commit hook runs it: wall time, and the CPU time of the process and the git
processes it starts (steadier on a busy machine). Each command runs once first,
untimed, so that every module is byte-compiled as on a user's machine; the
bytecode goes to a temporary folder (PYTHONPYCACHEPREFIX), never into the tree,
whatever PYTHONDONTWRITEBYTECODE says. The code run is this tree's (PYTHONPATH), whichever
checkout the `ilp` command was installed from.

    python bench/check.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], runs: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """The wall and CPU seconds of each of `runs` runs of `command`, after one untimed run."""
    subprocess.run(command, cwd=REPO, capture_output=True, check=False, env=env)
    times, cpu = [], []
    for _ in range(runs):
        used = _children_cpu()
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - used)
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    ilp = shutil.which("ilp", path=str(Path(sys.executable).parent)) or "ilp"
    students = sorted(p.parent.name for p in (REPO / "students").glob("*/profile.yml"))
    print(f"machine: {machine()}")
    print(f"runs: {args.runs} (median, min, max in seconds; then the median CPU time)")
    with tempfile.TemporaryDirectory(prefix="ilp-bench-bytecode-") as bytecode:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = bytecode
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
        for label, command in (
            ("ilp --version (start-up)", [ilp, "--version"]),
            (f"ilp check students/{students[0]}", [ilp, "check", f"students/{students[0]}"]),
            (f"ilp check (whole district, {len(students)} students)", [ilp, "check"]),
        ):
            times, cpu = timed(command, args.runs, env)
            print(
                f"{label}: {statistics.median(times):.3f}  ({min(times):.3f} - {max(times):.3f}), "
                f"CPU {statistics.median(cpu):.3f}"
            )


if __name__ == "__main__":
    main()
