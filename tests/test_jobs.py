"""Both cores (issue 14, item 1): `ilp build --jobs N` writes the same bytes for any N and any hash seed.

The builds run as `ilp build` in separate processes with different PYTHONHASHSEED values, on a copy
of the sample district committed into a real git repository (the change record comes from git).
A build with errors in some students still builds the others and exits 1 with workers; a worker
that fails, or dies, is reported (never a hang) and leaves the previous site whole.

The districts made here (the sample one in git, small ones of chosen students) are shared with
tests/test_incremental.py and tests/test_shards.py, which also import from here the helpers of
tests/determinism_support.py (git, `ilp` in a subprocess, comparing two output folders byte for byte).
"""

from __future__ import annotations

import shutil
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import AVA, LESSON, REPO, TODAY
from tests.determinism_support import TRACEBACK, assert_no_traceback, assert_same_site, commit, git, ilp

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

LEO = ("Leo Martinez", "leo-martinez@students.harborview.example.org")
SAMPLE_IDS = tuple(sorted(p.name for p in (REPO / "students").iterdir() if (p / "profile.yml").is_file()))


# --- districts -------------------------------------------------------------------------------------


def sample_repo(root: Path) -> Path:
    """The sample district (its students, pages, lessons, configuration) as a git repository of two commits."""
    root.mkdir(parents=True)
    for name in ("students", "content", "curriculum"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", ".ilp-cache"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A", "--", ".", ":!students/leo-martinez")
    git(root, "commit", "-q", "-m", "The district's first ILPs", date="2025-09-02T10:00:00Z")
    commit(root, "My ILP", "2026-10-06T15:30:00Z", LEO)
    return root


def student_files(sid: str, name: str, educators: str) -> dict[str, str]:
    """Ava's files (tests/conftest.py) for another student: their own name, words and educators."""
    files = {}
    for rel, text in AVA.items():
        text = text.replace("Ava Reyes", name).replace("educators: [mrivera, jchen]", f"educators: [{educators}]")
        text = text.replace("Nurses need a degree.", f"Nurses need a degree, wrote {name}.")
        files[rel.replace("students/ava/", f"students/{sid}/")] = text
    return files


def small_district(root: Path, students: dict[str, tuple[str, str]] | None = None) -> Path:
    """The conftest district (real configuration, framework, reference data, roster, one lesson) with
    these students (id -> name, educators), files only (no git)."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "curriculum" / "reference", root / "curriculum" / "reference")
    shutil.copy(REPO / "curriculum" / "framework.yml", root / "curriculum" / "framework.yml")
    (root / "students").mkdir()
    shutil.copy(REPO / "students" / "roster.yml", root / "students" / "roster.yml")
    write(root, "curriculum/grade-07/g7-test-lesson.md", LESSON)
    chosen = students or {"ava": ("Ava Reyes", "mrivera, jchen")}
    for sid, (name, educators) in chosen.items():
        for rel, text in student_files(sid, name, educators).items():
            write(root, rel, text)
    return root


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8", newline="")
    return path


def sample_reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample district as a git repository, and its single build (`--jobs 1 --no-cache`, hash seed 1):
    made once per test session (tests/test_shards.py compares its merge with the same build)."""
    base = tmp_path_factory.getbasetemp() / "sample-reference"
    root, out = base / "district", base / "single"
    if not (base / "done").is_file():
        shutil.rmtree(base, ignore_errors=True)
        sample_repo(root)
        done = ilp("build", "--root", str(root), "--out", str(out), "--jobs", "1", "--no-cache", seed=1)
        assert done.returncode == 0, done.stderr
        assert_no_traceback(done.stderr)
        (base / "done").write_text("built\n")
    return root, out


# --- the tests -------------------------------------------------------------------------------------


def test_one_and_two_workers_write_the_same_bytes_under_different_hash_seeds(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    root, single = sample_reference(tmp_path_factory)
    two = tmp_path / "two"
    done = ilp("build", "--root", str(root), "--out", str(two), "--jobs", "2", "--no-cache", seed=2)
    assert done.returncode == 0, done.stderr
    assert_no_traceback(done.stderr)
    assert (two / "student" / "leo-martinez" / "change-record" / "index.html").is_file()
    assert_same_site(two, single)
    # The summary counts the same work.
    summary = [line for line in done.stderr.splitlines() if line.startswith("ilp build:")]
    assert summary, done.stderr
    assert summary[-1].startswith("ilp build: 10 students, "), done.stderr


SPY = """
import os, sys
from generator.site import builder
original = builder.SiteBuilder.build
def spy(self, site, site_dir, *args, **kwargs):
    with open(os.environ["SPY_LOG"], "a") as log:
        log.write(f"{os.getpid()} {id(self)} {site.dest}\\n")
    return original(self, site, site_dir, *args, **kwargs)
builder.SiteBuilder.build = spy
from generator.cli import main
main()
"""


def test_two_workers_are_two_processes_each_with_its_own_builder(tmp_path: Path) -> None:
    students = {"ava": ("Ava Reyes", "mrivera, jchen"), "ben": ("Ben Okafor", "tbrooks"), "cal": ("Cal Diaz", "jchen")}
    root = small_district(tmp_path / "district", students)
    log = tmp_path / "spy.log"
    out = tmp_path / "out"
    args = ("build", "--root", str(root), "--out", str(out), "--today", TODAY, "--jobs", "2", "--no-cache")
    done = ilp(*args, code=SPY, env={"SPY_LOG": str(log)})
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in log.read_text().splitlines()]
    dests = [dest for _, _, dest in lines]
    assert sorted(dests) == sorted(set(dests)), "a site was built twice"
    student_pids = {pid for pid, _, dest in lines if dest.split("/")[-1] in students}
    assert len(student_pids) == 2, f"the students' sites were built by {len(student_pids)} processes, not 2: {lines}"
    builders = {(pid, builder) for pid, builder, _ in lines}
    assert len(builders) == len({pid for pid, _ in builders}), f"a process used more than one builder: {builders}"
    # The same site with one worker.
    one = tmp_path / "one"
    done = ilp("build", "--root", str(root), "--out", str(one), "--today", TODAY, "--jobs", "1", "--no-cache", seed=7)
    assert done.returncode == 0, done.stderr
    assert_same_site(out, one)


def test_errors_in_some_students_are_reported_the_same_with_two_workers(tmp_path: Path) -> None:
    students = {"ava": ("Ava Reyes", "mrivera, jchen"), "ben": ("Ben Okafor", "tbrooks"), "cal": ("Cal Diaz", "jchen")}
    root = small_district(tmp_path / "district", students)
    goals = root / "students" / "ben" / "goals.yml"
    goals.write_text(goals.read_text().replace("domain: academic", "domain: acedemic"))
    chart = root / "students" / "cal" / "artifacts" / "chart.svg"
    chart.unlink()
    chart.symlink_to(root / "students" / "ava" / "artifacts" / "chart.svg")
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        done = ilp("build", "--root", str(root), "--out", str(out), "--today", TODAY, "--jobs", jobs, seed=int(jobs))
        assert done.returncode == 1, done.stderr
        assert_no_traceback(done.stderr)
        assert "students/ben/goals.yml:" in done.stderr, done.stderr
        assert "acedemic" in done.stderr, done.stderr
        assert "students/cal/artifacts/chart.svg:" in done.stderr, done.stderr
        assert "Not built, fix their errors first: ben, cal" in done.stderr, done.stderr
        assert (out / "student" / "ava" / "index.html").is_file()
        assert not any((out / audience / sid).exists() for audience in ("student", "family") for sid in ("ben", "cal"))
        runs[jobs] = [line for line in done.stderr.splitlines() if "students/" in line]
    assert runs["1"] == runs["2"], "one worker and two report the errors differently"
    assert_same_site(tmp_path / "out2", tmp_path / "out1")


FAILING_WORKER = """
import os, sys
from generator.site import builder
original = builder.SiteBuilder.build
def failing(self, site, site_dir, *args, **kwargs):
    if site.dest == "student/cal" and os.getpid() != PARENT:
        if MODE == "raise":
            raise RuntimeError("boom in the worker building student/cal")
        os._exit(3)  # a worker killed (the out-of-memory killer, a segfault in a C extension)
    return original(self, site, site_dir, *args, **kwargs)
builder.SiteBuilder.build = failing
PARENT = os.getpid()
MODE = sys.argv.pop(1)
from generator.cli import main
main()
"""


@pytest.mark.parametrize("mode", ["raise", "exit"])
def test_a_failing_worker_is_reported_not_a_hang(tmp_path: Path, mode: str) -> None:
    students = {"ava": ("Ava Reyes", "mrivera, jchen"), "ben": ("Ben Okafor", "tbrooks"), "cal": ("Cal Diaz", "jchen")}
    root = small_district(tmp_path / "district", students)
    out = tmp_path / "out"
    out.mkdir()
    (out / "previous.html").write_text("the previous site\n")
    started = time.monotonic()
    done = ilp(
        mode, "build", "--root", str(root), "--out", str(out), "--today", TODAY, "--jobs", "2", "--no-cache",
        code=FAILING_WORKER, timeout=45,
    )  # fmt: skip
    assert time.monotonic() - started < 45
    assert done.returncode != 0, f"a worker failed ({mode}) and the build says it succeeded: {done.stderr}"
    assert TRACEBACK not in done.stderr, done.stderr
    if mode == "raise":
        assert "boom in the worker building student/cal" in done.stderr, done.stderr
    else:
        assert "worker" in done.stderr.lower(), f"the message does not say a worker failed: {done.stderr}"
    # The previous site is whole, nothing half-built is left beside it.
    assert sorted(p.name for p in out.iterdir()) == ["previous.html"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
