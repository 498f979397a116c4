"""`ilp check` warns about the starter text of `ilp new` left where others than the student and the
educators can see it: the profile's `about`, the first goal and the sections' starter pages."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from generator.commands.new import template_environment
from generator.model import Activity
from tests.conftest import REPO, TODAY, District

STUDENT = "students/sam-lee"
ADVICE = "write your own or remove it"
PAGE = "this page still holds the starter text of ilp new"
# The sample framework's sections and who, besides the student and the educators, sees each by default.
SEEN_BY = {
    "goals": "family",
    "coursework": "family",
    "postsecondary-career-planning": "family",
    "career-exploration": "family and advisory",
    "self-awareness": "family",
    "applied-learning": "family and advisory",
}  # transition-planning is private


def _new(district: District, grade: int = 7) -> Path:
    result = district.run(
        "new", "sam-lee", "--name", "Sam Lee", "--grade", str(grade), "--educator", "mrivera",
        "--root", str(district.root), "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return district.root / STUDENT


def _line(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.lstrip().startswith(start))


def _starter_warnings(district: District) -> list[str]:
    result = district.check(STUDENT)
    assert result.exit_code == 0, result.output
    return sorted(line for line in result.stdout.splitlines() if "starter text" in line)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_new_then_check_warns_for_each_starter_place_others_can_see(district: District) -> None:
    folder = _new(district)
    about = _line(folder / "profile.yml", "about:")
    statement = _line(folder / "goals.yml", "statement:")
    expected = [
        f"{STUDENT}/profile.yml:{about}: warning: 'about' still holds the starter text of ilp new, "
        f"and family and advisory can see it; {ADVICE}",
        f"{STUDENT}/goals.yml:{statement}: warning: goal 'first-goal' still holds the starter text of ilp new "
        f"(statement, smart, barriers and strategies), and family can see it; {ADVICE}",
        *(f"{STUDENT}/{section}/index.md:1: warning: {PAGE}, and {who} can see it; {ADVICE}" for section, who in SEEN_BY.items()),
    ]  # fmt: skip
    assert _starter_warnings(district) == sorted(expected)
    # Every starter page but the private one's, so the student's own to-do list is never warned about.
    assert (folder / "transition-planning" / "index.md").is_file()


def test_no_warning_where_only_the_student_and_educators_see_it(district: District) -> None:
    folder = _new(district)
    for section in SEEN_BY:
        _edit(folder / section / "index.md", "---\ntitle:", "---\nvisibility: private\ntitle:")
    _edit(folder / "goals.yml", "    status: not-started", "    visibility: private\n    status: not-started")
    # The profile's basics (its name, school and about) are always shared with the family and advisory.
    assert [w.split(": warning: ")[1] for w in _starter_warnings(district)] == [
        f"'about' still holds the starter text of ilp new, and family and advisory can see it; {ADVICE}"
    ]


def test_a_page_shared_with_one_audience_names_only_it(district: District) -> None:
    folder = _new(district)
    _edit(folder / "applied-learning" / "index.md", "---\ntitle:", "---\nvisibility: advisory\ntitle:")
    warnings = [w for w in _starter_warnings(district) if "applied-learning" in w]
    assert warnings == [f"{STUDENT}/applied-learning/index.md:1: warning: {PAGE}, and advisory can see it; {ADVICE}"]


def test_a_private_barrier_is_left_out_of_the_goal_warning(district: District) -> None:
    folder = _new(district)
    _edit(
        folder / "goals.yml",
        "      - What might get in the way?",
        "      - text: What might get in the way?\n        visibility: private",
    )
    goal = [w for w in _starter_warnings(district) if "goals.yml" in w]
    assert len(goal) == 1
    assert "(statement, smart and strategies), and family can see it" in goal[0]


def test_after_editing_the_text_no_warning(district: District) -> None:
    folder = _new(district)
    _edit(folder / "profile.yml", "Write a few sentences about yourself", "I like drawing and")
    goals = folder / "goals.yml"
    _edit(goals, "Write your first goal here, in one sentence.", "Read two books a month.")
    assert [w for w in _starter_warnings(district) if "goals.yml" in w or "profile.yml" in w] == [
        f"{STUDENT}/goals.yml:{_line(goals, 'specific:')}: warning: goal 'first-goal' still holds the starter text "
        f"of ilp new (smart, barriers and strategies), and family can see it; {ADVICE}"
    ]
    for old, new in (
        ("What exactly will you do?", "Read before bed."),
        ("How will you know you did it?", "A reading log."),
        ("Why can you do it, and who can help?", "The library is near."),
        ("Why does it matter to you?", "I want to write stories."),
        ("By when?", "June."),
        ("What might get in the way?", "Homework."),
        ("What will you do when it does?", "Read on weekends."),
    ):
        _edit(goals, old, new)
    for section in SEEN_BY:
        page = folder / section / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nWhat I think so far.\n", encoding="utf-8")
    assert _starter_warnings(district) == []


def test_only_the_title_changed_is_still_the_starter_page(district: District) -> None:
    folder = _new(district)
    page = folder / "self-awareness" / "index.md"
    _edit(page, 'title: "Self-Awareness"', "title: All about me")
    assert f"{STUDENT}/self-awareness/index.md:1: warning: {PAGE}, and family can see it; {ADVICE}" in (
        _starter_warnings(district)
    )


def test_a_page_ilp_promote_writes_for_some_activities_is_a_starter_page(district: District) -> None:
    """`ilp promote` renders the same template, for the activities of a grade not done yet."""
    framework = yaml.safe_load((district.root / "curriculum/framework.yml").read_text(encoding="utf-8"))
    section = next(s for s in framework["sections"] if s["id"] == "career-exploration")
    plan = next(p for p in framework["grades"] if p["grade"] == 7)
    activities = [
        Activity(a["id"], 7, a["title"], a["section"], a["artifact"])
        for a in plan["activities"]
        if a["section"] == "career-exploration"
    ][:1]
    assert activities
    text = (
        template_environment()
        .get_template("section.md.j2")
        .render(
            section={**section, "title": "Grade 7 activities"},
            prompts=section.get("prompts", []),
            activities=activities,
        )
    )
    district.write("students/ava/career-exploration/grade-07.md", text, dedent=False)
    result = district.check("students/ava")
    assert (
        f"students/ava/career-exploration/grade-07.md:1: warning: {PAGE}, and family and advisory can see it; {ADVICE}"
        in result.stdout
    )
    assert "students/ava/career-exploration/nurse.md" not in result.stdout


def test_the_sample_district_has_no_starter_text() -> None:
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(
        main, ["check", "--root", str(REPO), "--today", datetime.date(2026, 11, 25).isoformat(), str(REPO / "students")]
    )
    assert "starter text" not in result.output, result.output
