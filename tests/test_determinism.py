"""`ilp build` is deterministic: the same repository gives byte-identical sites in every process.

Python randomizes the iteration order of sets of strings per process (PYTHONHASHSEED), so a
set that reaches the output shows up only when two builds run in different processes. The
district here is a git repository with three dated commits by two people, so the change
record, goal evolution and "Goals by school year" (three goals set in one school year, one
closed) all have something to order.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from tests.conftest import TODAY, District
from tests.determinism_support import commit, differences, git, ilp, snapshot

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


def _history_district(district: District) -> None:
    """Ava's ILP in three commits: two by Ms. Rivera, one by Ava."""
    root = district.root
    git(root, "init", "-q")
    profile = (root / "students/ava/profile.yml").read_text(encoding="utf-8")
    district.write("students/ava/profile.yml", f"{profile}emails: [{AVA_EMAIL}]\n", dedent=False)
    district.write("students/ava/goals.yml", GOALS_1, dedent=False)
    commit(root, "Start Ava's ILP", "2026-09-10T15:00:00+00:00")
    district.write("students/ava/goals.yml", GOALS_2, dedent=False)
    district.write("students/ava/self-awareness/strengths.md", STRENGTHS, dedent=False)
    commit(root, "New goals and my strengths", "2026-10-05T19:30:00+00:00", ("Ava Reyes", AVA_EMAIL))
    district.write("students/ava/goals.yml", GOALS_3, dedent=False)
    (root / "students/ava/self-awareness/strengths.md").rename(root / "students/ava/self-awareness/me.md")
    commit(root, "Review after the conference", "2026-11-02T16:00:00+00:00")


def _build(root: Path, out: Path, seed: int) -> dict[str, bytes]:
    """`ilp build` of `root` into `out` in a process of its own with PYTHONHASHSEED=seed; its HTML pages."""
    done = ilp(
        "build", "--root", str(root), "--out", str(out), "--today", TODAY, seed=seed, timeout=300, env={"TZ": "UTC"}
    )
    assert done.returncode == 0, f"build with PYTHONHASHSEED={seed} failed:\n{done.stdout}\n{done.stderr}"
    return {name: data for name, data in snapshot(out).items() if name.endswith(".html") and data is not None}


def test_builds_in_different_processes_are_byte_identical(district: District, tmp_path: Path) -> None:
    _history_district(district)
    check = district.check()
    assert check.exit_code == 0, check.output
    first = _build(district.root, tmp_path / "site-1", 1)
    for seed in (2, 3):
        _build(district.root, tmp_path / f"site-{seed}", seed)
    # The district is rich enough to matter: goal evolution and goals set in one school year, in every view.
    goals_pages = {name: text for name, text in first.items() if b"<strong>Goals set</strong>" in text}
    assert any(name.startswith("family/") for name in goals_pages), sorted(first)[:50]
    assert any(b"How this goal changed" in text for text in goals_pages.values())
    assert any(
        name.startswith("family/") and b"<strong>Goals closed</strong>" in text for name, text in goals_pages.items()
    )
    found = {seed: differences(tmp_path / f"site-{seed}", tmp_path / "site-1") for seed in (2, 3)}
    assert not any(found.values()), "\n\n".join(f"seed {seed}: " + "\n".join(d[:15]) for seed, d in found.items() if d)


def test_goals_set_in_one_year_are_listed_by_date_then_title(district: District, tmp_path: Path) -> None:
    """The family's goals page lists the goals of 2026-2027 in one fixed order."""
    _history_district(district)
    pages = _build(district.root, tmp_path / "site", 4)
    found = [
        text.decode("utf-8")
        for name, text in pages.items()
        if name.startswith("family/") and b"<strong>Goals set</strong>" in text
    ]
    assert found
    # the list under "Goals set" of the first school year listed, as one line
    line = found[0].split("<strong>Goals set</strong>", 1)[1].split("</ul>", 1)[0].replace("\n", " ")
    titles = ["Get a B+ in math this semester.", "Read for twenty minutes every night.", "Shadow a nurse for a day."]
    titles.append("Volunteer at the zoo before high school.")
    positions = [line.index(title) for title in titles]
    assert positions == sorted(positions), textwrap.shorten(line, 400)
