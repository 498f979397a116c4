"""The student-led conference deck: where it is built, what each audience gets, conference.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.pipeline import build
from tests.conftest import TODAY_DATE, District

CONFERENCE = """\
---
title: Ava's conference
visibility: family
slides: [title, my-robot, goals, secret, questions]
---
## My robot

It picks up cups. ![Chart of nurse pay](artifacts/chart.svg)

Notes: canaryNotes1111 say thanks.

---

## Something private {: #secret visibility="private" }

canarySlide2222

Notes: canaryPrivateNotes3333
"""


def slides(path: Path) -> list[str]:
    html = path.read_text(encoding="utf-8")
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<h2 id=\"slide-\d+-title\">(.*?)</h2>", html)]


def site(district: District) -> Path:
    out = district.root.parent / "site"
    result = build(district.root, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    return out


def test_deck_for_the_conference_audience_student_and_educators(district: District) -> None:
    out = site(district)
    for audience in ("family", "student", "educator"):
        assert (out / audience / "ava" / "conference" / "index.html").is_file()
    for audience in ("advisory", "public"):
        assert not (out / audience / "ava" / "conference").exists()
    html = (out / "family/ava/conference/index.html").read_text(encoding="utf-8")
    assert html.count('<section class="slide"') == len(slides(out / "family/ava/conference/index.html"))
    assert 'aria-labelledby="slide-1-title"' in html


@pytest.mark.parametrize(
    ("grade", "present", "absent"),
    [
        (6, "Exploring who I am", "My move to high school"),
        (8, "My move to high school", "After high school"),
        (12, "After high school", "Exploring who I am"),
    ],
)
def test_grade_aware_default_deck(district: District, grade: int, present: str, absent: str) -> None:
    district.write(
        "students/ava/profile.yml",
        f"name: Ava Reyes\ngraduation_year: {2027 + 12 - grade}\nschool: Harbor View\neducators: [mrivera]\n"
        "about: I like robots.\ninterests:\n  riasec: [realistic]\n",
    )
    district.write(
        "students/ava/courses.yml", "years:\n  - grade: 9\n    courses:\n      - {title: Biology, status: planned}\n"
    )
    district.write("students/ava/self-awareness/me.md", "---\ntitle: All about me\n---\nMe.\n")
    district.write("students/ava/postsecondary-career-planning/plan.md", "---\ntitle: My college list\n---\nList.\n")
    out = site(district)
    titles = slides(out / "family/ava/conference/index.html")
    assert present in titles
    assert absent not in titles


def test_conference_md_orders_slides_and_keeps_notes_for_the_student(district: District) -> None:
    district.write("students/ava/conference.md", CONFERENCE)
    out = site(district)
    assert slides(out / "student/ava/conference/index.html") == [
        "Ava's conference",
        "My robot",
        "My goals this year",
        "Something private",
        "Questions",
    ]
    family = (out / "family/ava/conference/index.html").read_text(encoding="utf-8")
    assert slides(out / "family/ava/conference/index.html") == [
        "Ava's conference",
        "My robot",
        "My goals this year",
        "Questions",
    ]
    student = (out / "student/ava/conference/index.html").read_text(encoding="utf-8")
    assert "canaryNotes1111" in student
    assert 'src="../artifacts/chart.svg"' in student
    educator = (out / "educator/ava/conference/index.html").read_text(encoding="utf-8")
    assert "canarySlide2222" in educator
    assert "canaryNotes1111" not in educator
    assert "canaryPrivateNotes3333" not in educator
    for canary in ("canaryNotes1111", "canarySlide2222", "canaryPrivateNotes3333"):
        for file in (out / "family").rglob("*"):
            if file.is_file():
                assert canary not in file.read_text(encoding="utf-8", errors="replace"), file
    assert "canaryNotes1111" not in family


def test_conference_md_problems(district: District) -> None:
    district.write(
        "students/ava/conference.md",
        "---\nslides: [title, robots, goals]\n---\nNo heading here.\n\n---\n\n## Robot\n\nText.\n",
        dedent=False,
    )
    problems = district.problems()
    assert "students/ava/conference.md:4: a slide must start with a heading, such as '## My robot'" in problems
    assert any(
        p.startswith("students/ava/conference.md:2: unknown slide 'robots' (did you mean 'robot'?)") for p in problems
    )
    assert (
        "students/ava/conference.md:1: warning: your own slides are private: add 'visibility: family' "
        "(or your conference audience) to show them" in problems
    )


def test_handout_says_clearly_when_chromium_is_missing(district: District, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = district.run(
        "conference", "ava", "--pdf", str(district.root.parent / "h.pdf"), "--root", str(district.root)
    )
    assert result.exit_code == 1
    assert "printing the handout needs headless Chromium, which is not installed here" in result.output
