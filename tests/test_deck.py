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
    assert len(re.findall(r'<section class="slide[ "]', html)) == len(slides(out / "family/ava/conference/index.html"))
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


def test_every_slide_has_a_footer_with_the_name_and_its_number(district: District) -> None:
    out = site(district)
    html = (out / "family/ava/conference/index.html").read_text(encoding="utf-8")
    footers = re.findall(r'<p class="slide-footer">(.*?)</p>', html)
    total = len(re.findall(r'<section class="slide[ "]', html))
    assert total >= 4
    assert [re.sub(r"<[^>]+>", "", f) for f in footers] == [
        f"Ava Reyes · Slide {n} of {total}" for n in range(1, total + 1)
    ]
    assert 'class="slide slide-title"' in html
    # The controls are hidden until deck.js shows them; their words come from the page, in its language.
    assert '<nav class="deck-controls" aria-label="Slides" hidden' in html
    assert 'data-counter="Slide {number} of {total}"' in html


PRIVATE_GOAL = """\
  - id: secret-goal
    domain: social-emotional
    term: short
    statement: canaryPrivateGoal4444
    status: in-progress
    set: 2026-09-01
    visibility: private
"""


def test_goals_slide_charts_the_years_goals_from_the_audiences_view(district: District) -> None:
    goals = (district.root / "students/ava/goals.yml").read_text(encoding="utf-8")
    district.write("students/ava/goals.yml", goals + PRIVATE_GOAL, dedent=False)
    out = site(district)
    family = (out / "family/ava/conference/index.html").read_text(encoding="utf-8")
    slide = re.search(
        r'<section class="slide" id="(slide-\d+)"[^>]*>\s*<h2[^>]*>My goals this year</h2>(.*?)</section>', family, re.S
    )
    assert slide is not None
    body = slide.group(2)
    # The chart, in place of its placeholder, once, named and described; then its figures as a table.
    assert family.count("<svg") == 1
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in body
    assert "<title>Where my goals stood: the start of the year, mid-year and now</title>" in body
    assert 'id="goals-chart-' not in family
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", body)
    # Set on September 10 (after the year began on August 27), reviewed on track on November 2;
    # mid-year (January 21) has not come yet on November 25.
    assert rows == [("Goal 1: Get a B in math this semester.", "Not set yet", "Not yet", "On track")]
    assert "canaryPrivateGoal4444" not in family
    student = (out / "student/ava/conference/index.html").read_text(encoding="utf-8")
    assert "canaryPrivateGoal4444" in student.split(">My goals this year</h2>", 1)[1].split("</section>", 1)[0]


def test_goal_progress_reads_the_record_as_it_stood_on_each_day() -> None:
    import datetime

    from generator.history.record import GoalVersion, Record
    from generator.render.goals_chart import goal_progress, progress_on

    goal = {
        "id": "g",
        "statement": "Read <b>two</b> books a month.",
        "status": "achieved",
        "set": "2026-06-01",
        "reviews": [
            {"date": "2026-08-01", "by": "x", "progress": "behind"},
            {"date": "2026-12-01", "by": "x", "progress": "on-track"},
        ],
    }
    earlier = {**goal, "status": "in-progress", "reviews": goal["reviews"][:1]}
    later = {**goal, "status": "in-progress"}
    versions = tuple(
        GoalVersion(datetime.date(*day), sha, version)
        for day, sha, version in (((2026, 8, 2), "a", earlier), ((2026, 12, 5), "b", later), ((2027, 2, 20), "c", goal))
    )
    record = Record(True, goal_versions={"g": versions})
    start, middle, today = datetime.date(2026, 8, 27), datetime.date(2027, 1, 21), datetime.date(2027, 3, 1)
    [found] = goal_progress([goal], record, (start, middle), today)
    assert found.statement == "Read two books a month."  # markup dropped
    assert found.points == ("behind", "on-track", "achieved")
    # Without a record, the goal's own dates: only what is dated by then counts, not today's status.
    [alone] = goal_progress([goal], None, (start, middle), today)
    assert alone.points == ("behind", "on-track", "achieved")
    assert progress_on(goal, datetime.date(2026, 5, 1), False) == "not-set"
    assert progress_on({"status": "not-started"}, today, True) == "not-started"
    # A goal closed before the year began is not one of this year's goals.
    old = {**goal, "reviews": [{"date": "2026-03-01", "by": "x", "progress": "achieved"}]}
    assert goal_progress([old], None, (start, middle), today) == []


def test_barriers_are_lists_and_listed_pages_bring_their_images(district: District) -> None:
    district.write(
        "students/ava/career-exploration/vet.md",
        """\
        ---
        title: Research on vets
        visibility: family
        ---
        Vets go to school for a long time.

        ## Private part {: visibility="private" }

        ![canaryPrivateAlt5555](../artifacts/secret.svg)
        """,
    )
    district.write(
        "students/ava/artifacts/secret.svg",
        '<svg xmlns="http://www.w3.org/2000/svg"><rect width="2" height="2"/></svg>\n',
    )
    out = site(district)
    family = (out / "family/ava/conference/index.html").read_text(encoding="utf-8")
    barriers = family.split(">Barriers and what worked</h2>", 1)[1].split("</section>", 1)[0]
    assert "<p><strong>Get a B in math this semester.</strong></p>\n<ul>" in barriers
    assert "<li><strong>Barrier:</strong> I forget homework.</li>" in barriers
    assert "<li><strong>What I did:</strong> Use a planner.</li>" in barriers
    assert "little brother" not in family  # a private barrier
    careers = family.split(">Exploring careers</h2>", 1)[1].split("</section>", 1)[0]
    assert "Research on vets" in careers
    student = (out / "student/ava/conference/index.html").read_text(encoding="utf-8")
    # The nursing page's image comes with its link, in every view that has the page.
    student_careers = student.split(">Exploring careers</h2>", 1)[1].split("</section>", 1)[0]
    assert '<img src="../artifacts/chart.svg" alt="Chart of nurse pay">' in student_careers
    # The private image of a shared page reaches no slide of the family's deck.
    assert "canaryPrivateAlt5555" not in family
    assert "secret.svg" not in family
    assert "canaryPrivateAlt5555" in student
