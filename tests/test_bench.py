"""The benchmarks run, on a tiny district: bench/district.py makes a real history, bench/build.py and
bench/compare.py print every figure (numbers, not n/a)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bench.district import make_district

REPO = Path(__file__).resolve().parents[1]
NUMBER = r"[0-9]+(\.[0-9]+)?"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def test_the_synthetic_district_has_thirty_real_commits_a_student(tmp_path: Path) -> None:
    root = tmp_path / "district"
    make_district(root, 3)
    students = sorted(p.name for p in (root / "students").iterdir() if p.is_dir())
    assert students == ["aaliyah-washington-0000", "amara-osei-0001", "emily-tran-0002"]
    assert _git(root, "rev-list", "--count", "HEAD").strip() == "91"  # the district's commit, then 30 each
    assert _git(root, "status", "--porcelain") == ""  # the working tree is the last commit
    for student in students:
        log = _git(root, "log", "--format=%ad %ae %s", "--date=short", "--", f"students/{student}").splitlines()
        assert len(log) == 30, student
        days = sorted(line.split()[0] for line in log)
        assert days[0].startswith("2025-09")
        assert days[-1] == "2026-11-24"
        sample = REPO / "students" / student.rsplit("-", 1)[0]
        for path in sample.rglob("*"):
            if path.is_file():
                assert (root / "students" / student / path.relative_to(sample)).read_bytes() == path.read_bytes()
    # Goals grew with the reviews: an educator's review is committed by the educator, on its day.
    reviews = _git(root, "log", "--format=%ae %ad", "--date=short", "--", "students/amara-osei-0001/goals.yml")
    assert "mrivera@harborview.example.org 2026-11-12" in reviews
    first = _git(root, "log", "--reverse", "--format=%H", "--", "students/amara-osei-0001/goals.yml").split()[0]
    page = _git(root, "show", f"{first}:students/amara-osei-0001/self-awareness/all-about-me.md")
    assert len(page) < len((REPO / "students/amara-osei/self-awareness/all-about-me.md").read_text("utf-8")) / 2


def _run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_build_bench_prints_every_figure() -> None:
    out = _run("build.py", "--students", "4", "--runs", "1")  # 4: both shards of 2 have students
    for label in (
        "machine",
        "students",
        "sites",
        "pages",
        r"full build, \d+ jobs, no cache",
        "full build, 1 job, no cache",
        "jobs speed-up",
        "sites/s",
        "pages/s",
        "cost per student",
        "CPU time",
        "cores used",
        "first build with an empty cache",
        "no-change rebuild",
        "one-student rebuild",
        "no-change rebuild, ilp build in a new process",
        "one-student rebuild, ilp build in a new process",
        r"slowest of \d+ shards, \d+ jobs",
        r"merge of \d+ shards",
        "history stage",
        "change records",
        "peak memory",
        "storage",
    ):
        line = re.search(rf"^{label}: (.*)$", out, re.M)
        assert line is not None, (label, out)
        assert "n/a" not in line.group(1), line.group(0)
        assert re.search(NUMBER, line.group(1)), line.group(0)
    assert re.search(r"^students: 4 ", out, re.M)
    assert re.search(r"^errors: 0,", out, re.M)
    kept = re.search(r"^no-change rebuild: .*, (\d+) of (\d+) sites kept$", out, re.M)
    assert kept is not None
    assert kept.group(1) == kept.group(2)
    one = re.search(r"^one-student rebuild: .*, (\d+) of (\d+) sites kept$", out, re.M)
    assert one is not None
    assert 0 < int(one.group(1)) < int(one.group(2))


def test_the_comparison_with_one_mkdocs_process_a_site_prints_the_ratio() -> None:
    out = _run("compare.py", "--students", "3", "--sample", "2", "--runs", "1")
    assert re.search(r"^sample: 2 sites, \d+ pages", out, re.M), out
    for label in (r"ilp build, \d+ jobs", "ilp build, 1 job", r"mkdocs build, \d+ processes at a time"):
        assert re.search(rf"^{label}: {NUMBER} ms a site", out, re.M), (label, out)
    assert re.search(rf"^ratio, \d+ cores each: {NUMBER}x", out, re.M), out
    assert re.search(rf"^ratio, one core each: {NUMBER}x", out, re.M), out


def test_the_bench_deletes_no_output_before_a_timed_build(tmp_path: Path) -> None:
    """Each timed build gets a folder no build has used, what must go is set aside by a rename, and
    only `delete` (after the last timed build) deletes anything."""
    from bench.build import Folders

    folders = Folders(tmp_path)
    first, second = folders.fresh("site"), folders.fresh("site")
    assert first != second
    assert not first.exists()
    assert not second.exists()
    for folder in (first, second):
        (folder / "page").mkdir(parents=True)
        (folder / "page" / "index.html").write_text("built", encoding="utf-8")
    cache = tmp_path / "district" / ".ilp-cache"
    cache.mkdir(parents=True)
    (cache / "entry").write_text("kept", encoding="utf-8")
    folders.set_aside(cache)
    folders.set_aside(cache)  # nothing there any more: nothing to do
    assert not cache.exists()
    aside = list(tmp_path.rglob("entry"))
    assert len(aside) == 1
    assert aside[0].read_text(encoding="utf-8") == "kept"
    assert (first / "page" / "index.html").is_file()
    assert (second / "page" / "index.html").is_file()
    folders.delete()
    assert not first.exists()
    assert not second.exists()
    assert not aside[0].exists()
    assert (tmp_path / "district").is_dir()
