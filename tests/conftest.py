"""Fixtures: a small district written into tmp_path from real files.

`district` copies the repository's real configuration, framework, reference
data and roster into a temporary folder and writes one valid lesson and one
valid student, "ava", so each test changes just the file it is about.
"""

from __future__ import annotations

import datetime
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-25"
TODAY_DATE = datetime.date(2026, 11, 25)

LESSON = """\
---
id: g7-test-lesson
title: A test lesson
grade: 7
asca: [M 4, B-LS 7]
activities: [g7-career-research]
---
Students research two careers.

## Facilitator notes {: .facilitator }

Give students 20 minutes.
"""

AVA = {
    "students/ava/profile.yml": """\
        name: Ava Reyes
        graduation_year: 2032
        school: Harbor View Middle School
        educators: [mrivera, jchen]
        career:
          clusters: [health-science]
        interests:
          riasec: [social, investigative]
        supports:
          - type: "504"
            note: Extra time on tests.
        """,
    "students/ava/goals.yml": """\
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
            reviews:
              - date: 2026-11-02
                by: mrivera
                progress: on-track
                note: Planner is helping.
        """,
    "students/ava/experiences.yml": """\
        experiences:
          - id: art-club
            type: club
            title: Art club
            start: 2025-10-01
            reflection: I learned to shade.
        """,
    "students/ava/checklist.yml": """\
        items:
          - id: g7-grades-check
            done: true
            date: 2026-10-01
        """,
    "students/ava/courses.yml": """\
        years:
          - grade: 7
            school_year: 2026-2027
            courses:
              - title: Math 7
                subject: math
                term: full-year
                status: in-progress
        """,
    "students/ava/career-exploration/nurse.md": """\
        ---
        title: Research on nursing
        activity: g7-career-research
        lesson: g7-test-lesson
        date: 2026-10-12
        ---
        Nurses need a degree. ![Chart of nurse pay](../artifacts/chart.svg)

        ## What worries me {: visibility="private" }

        Blood.
        """,
    "students/ava/artifacts/chart.svg": '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>\n',
}


@dataclass
class District:
    root: Path

    def write(self, rel: str, text: str | bytes, dedent: bool = True) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if dedent else text, encoding="utf-8", newline="")
        return path

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(main, [*args], catch_exceptions=False)

    def check(self, *paths: str, extra: tuple[str, ...] = ()) -> Result:
        return self.run(
            "check", "--root", str(self.root), "--today", TODAY, *extra, *[str(self.root / p) for p in paths]
        )

    def problems(self, *paths: str) -> list[str]:
        """The error and warning lines that `ilp check` prints."""
        result = self.check(*paths)
        return [line for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture
def district(tmp_path: Path) -> District:
    root = tmp_path / "district"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "curriculum" / "reference", root / "curriculum" / "reference")
    shutil.copy(REPO / "curriculum" / "framework.yml", root / "curriculum" / "framework.yml")
    (root / "students").mkdir()
    shutil.copy(REPO / "students" / "roster.yml", root / "students" / "roster.yml")
    d = District(root)
    d.write("curriculum/grade-07/g7-test-lesson.md", LESSON)
    for rel, text in AVA.items():
        d.write(rel, text)
    return d
