"""`ilp build` is deterministic: the same repository gives byte-identical sites in every process.

Python randomizes the iteration order of sets of strings per process (PYTHONHASHSEED), so a
set that reaches the output shows up only when two builds run in different processes. The
district here is a git repository with three dated commits by two people, so the change
record, goal evolution and "Goals by school year" (three goals set in one school year, one
closed) all have something to order.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO, TODAY, District

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

GOALS_1 = """\
goals:
  - id: math-b
    domain: academic
    term: short
    statement: Get a B in math this semester.
    status: in-progress
    set: 2026-09-10
    due: 2027-01-20
    barriers:
      - I forget homework.
      - text: My little brother needs me after school.
        visibility: private
    strategies: [Use a planner.]
"""

GOALS_2 = (
    GOALS_1
    + """\
  - id: read-more
    domain: social-emotional
    term: short
    statement: Read for twenty minutes every night.
    status: in-progress
    set: 2026-10-05
    due: 2027-03-01
    strategies: [Keep a book in my bag.]
  - id: shadow-nurse
    domain: career
    term: short
    statement: Shadow a nurse for a day.
    status: in-progress
    set: 2026-10-05
    due: 2026-12-15
    strategies: [Ask Ms. Rivera about the hospital program.]
  - id: zoo-volunteer
    domain: career
    term: long
    statement: Volunteer at the zoo before high school.
    status: in-progress
    set: 2026-10-05
    due: 2028-06-01
"""
)

GOALS_3 = (
    GOALS_2.replace("Get a B in math this semester.", "Get a B+ in math this semester.")
    .replace(
        "    statement: Shadow a nurse for a day.\n    status: in-progress\n",
        "    statement: Shadow a nurse for a day.\n    status: achieved\n",
    )
    .replace(
        "    strategies: [Use a planner.]\n",
        "    strategies: [Use a planner.]\n"
        "    reviews:\n"
        "      - date: 2026-11-02\n"
        "        by: mrivera\n"
        "        progress: on-track\n"
        "        note: Planner is helping.\n",
    )
)

STRENGTHS = """\
---
title: My strengths
date: 2026-10-05
---
I am patient and I listen.
"""

AVA_EMAIL = "ava.reyes@students.harborview.example.org"
RIVERA = ("Marisol Rivera", "mrivera@harborview.example.org")


def _git(root: Path, *args: str, date: str | None = None, author: tuple[str, str] | None = None) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(root.parent),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "LC_ALL": "C",
        "TZ": "UTC",
    }
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    if author is not None:
        env["GIT_AUTHOR_NAME"], env["GIT_AUTHOR_EMAIL"] = author
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _commit(district: District, message: str, date: str, author: tuple[str, str] | None = None) -> None:
    _git(district.root, "add", "-A")
    _git(district.root, "commit", "-q", "-m", message, date=date, author=author)


def _history_district(district: District) -> None:
    root = district.root
    _git(root, "init", "-q")
    _git(root, "config", "user.name", RIVERA[0])
    _git(root, "config", "user.email", RIVERA[1])
    _git(root, "config", "commit.gpgsign", "false")
    profile = (root / "students/ava/profile.yml").read_text(encoding="utf-8")
    district.write("students/ava/profile.yml", f"{profile}emails: [{AVA_EMAIL}]\n", dedent=False)
    district.write("students/ava/goals.yml", GOALS_1, dedent=False)
    _commit(district, "Start Ava's ILP", "2026-09-10T15:00:00+00:00")
    district.write("students/ava/goals.yml", GOALS_2, dedent=False)
    district.write("students/ava/self-awareness/strengths.md", STRENGTHS, dedent=False)
    _commit(district, "New goals and my strengths", "2026-10-05T19:30:00+00:00", author=("Ava Reyes", AVA_EMAIL))
    district.write("students/ava/goals.yml", GOALS_3, dedent=False)
    (root / "students/ava/self-awareness/strengths.md").rename(root / "students/ava/self-awareness/me.md")
    _commit(district, "Review after the conference", "2026-11-02T16:00:00+00:00")


def _build(root: Path, out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO), "TZ": "UTC"}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from generator.cli import main; main(prog_name='ilp')",
            "build",
            "--root",
            str(root),
            "--out",
            str(out),
            "--today",
            TODAY,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, f"build with PYTHONHASHSEED={seed} failed:\n{result.stdout}\n{result.stderr}"


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _difference(first: dict[str, bytes], other: dict[str, bytes], label: str) -> str | None:
    """None when the two builds are the same; else the first difference and a short diff."""
    if sorted(first) != sorted(other):
        only_first = sorted(set(first) - set(other))[:10]
        only_other = sorted(set(other) - set(first))[:10]
        return f"{label}: different file names; only in the first build: {only_first}; only in this one: {only_other}"
    for name in sorted(first):
        if first[name] != other[name]:
            a = first[name].decode("utf-8", errors="replace").splitlines()
            b = other[name].decode("utf-8", errors="replace").splitlines()
            diff = list(difflib.unified_diff(a, b, f"seed 1/{name}", f"{label}/{name}", n=1, lineterm=""))
            return f"{label}: first differing file {name}\n" + "\n".join(line[:300] for line in diff[:40])
    return None


def test_builds_in_different_processes_are_byte_identical(district: District, tmp_path: Path) -> None:
    _history_district(district)
    check = district.check()
    assert check.exit_code == 0, check.output
    builds = {}
    for seed in ("1", "2", "3"):
        out = tmp_path / f"site-{seed}"
        _build(district.root, out, seed)
        builds[seed] = _files(out)
    first = builds["1"]
    # The district is rich enough to matter: goal evolution and goals set in one school year, in every view.
    goals_pages = {
        name: text for name, text in first.items() if name.endswith(".html") and b"<strong>Goals set</strong>" in text
    }
    assert any(name.startswith("family/") for name in goals_pages), sorted(first)[:50]
    assert any(b"How this goal changed" in text for text in goals_pages.values())
    assert any(
        name.startswith("family/") and b"<strong>Goals closed</strong>" in text for name, text in goals_pages.items()
    )
    differences = [d for seed in ("2", "3") if (d := _difference(first, builds[seed], f"seed {seed}")) is not None]
    assert not differences, "\n\n".join(differences)


def test_goals_set_in_one_year_are_listed_by_date_then_title(district: District, tmp_path: Path) -> None:
    """The family's goals page lists the goals of 2026-2027 in one fixed order."""
    _history_district(district)
    out = tmp_path / "site"
    _build(district.root, out, "4")
    found = [
        text.decode("utf-8")
        for name, text in _files(out).items()
        if name.startswith("family/") and name.endswith(".html") and b"<strong>Goals set</strong>" in text
    ]
    assert found
    # the list under "Goals set" of the first school year listed, as one line
    line = found[0].split("<strong>Goals set</strong>", 1)[1].split("</ul>", 1)[0].replace("\n", " ")
    titles = ["Get a B+ in math this semester.", "Read for twenty minutes every night.", "Shadow a nurse for a day."]
    titles.append("Volunteer at the zoo before high school.")
    positions = [line.index(title) for title in titles]
    assert positions == sorted(positions), textwrap.shorten(line, 400)
