"""`ilp check`: every kind of bad input gets its exact path:line: message and exit 1."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import District


def test_valid_student_passes(district: District) -> None:
    result = district.check()
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.stderr
    assert "1 student, 1 lesson" in result.stderr


def test_errors_are_reported_all_at_once_with_exit_1(district: District) -> None:
    district.write("students/ava/goals.yml", "goals:\n  - id: a\n    domain: acedemic\n")
    district.write("students/ava/checklist.yml", "items:\n  - id: g7-nope\n    done: true\n")
    result = district.check()
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "students/ava/goals.yml:2: missing required key 'statement', 'term', 'status' in 0" not in lines
    assert any(line.startswith("students/ava/goals.yml:3: unknown domain 'acedemic'") for line in lines)
    assert any(line.startswith("students/ava/checklist.yml:2: unknown checklist item 'g7-nope'") for line in lines)


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        pytest.param(
            "students/ava/goals.yml",
            "goals:\n  - id: a\n    domain: acedemic\n    term: short\n    statement: x\n    status: in-progress\n",
            "students/ava/goals.yml:3: unknown domain 'acedemic' (expected: academic, career, social-emotional)",
            id="enum",
        ),
        pytest.param(
            "students/ava/goals.yml",
            "goals:\n  - id: a\n    domain: career\n    term: short\n    statement: x\n    status: in-progress\n"
            "    visiblity: family\n",
            "students/ava/goals.yml:7: unknown key 'visiblity' (did you mean 'visibility'?) "
            "(expected: activity, asca, barriers, carried_over, domain, due, id, reviews, set, smart, statement, "
            "status, strategies, term, visibility)",
            id="unknown-key",
        ),
        pytest.param(
            "students/ava/profile.yml",
            "name: Ava\ngraduation_year: twenty\n",
            "students/ava/profile.yml:2: graduation_year should be a whole number, not the text 'twenty'",
            id="wrong-type",
        ),
        pytest.param(
            "students/ava/profile.yml",
            "name: Ava\ngraduation_year: 2032\ndate: 2026-13-01\n",
            "students/ava/profile.yml:3: '2026-13-01' is not a real date (month must be in 1..12); write dates as YYYY-MM-DD",
            id="impossible-date",
        ),
        pytest.param(
            "students/ava/goals.yml",
            "goals:\n  - id: a\n    domain: career\n    term: short\n    statement: x\n    status: in-progress\n"
            "    due: '2026-02-30'\n",
            "students/ava/goals.yml:7: due: '2026-02-30' is not a real date; write dates as YYYY-MM-DD, such as 2026-10-14",
            id="quoted-impossible-date",
        ),
        pytest.param(
            "students/ava/profile.yml",
            "name: Ava\n  graduation_year: 2032\n",
            "students/ava/profile.yml:2: YAML syntax error: mapping values are not allowed here "
            "(a value that contains ': ' needs quotes around it)",
            id="invalid-yaml",
        ),
        pytest.param(
            "students/ava/profile.yml",
            "name: Ava\ncareer:\n\tpathway: Nursing\n",
            "students/ava/profile.yml:3: tab used for indentation; YAML needs spaces: replace the tab with spaces",
            id="tab",
        ),
        pytest.param(
            "students/ava/profile.yml",
            "",
            "students/ava/profile.yml:1: file is empty; see content/reference/ for what it should hold",
            id="empty-file",
        ),
        pytest.param(
            "students/ava/profile.yml",
            "name: Ava\n<<<<<<< HEAD\ngraduation_year: 2032\n=======\ngraduation_year: 2031\n>>>>>>> other\n",
            "students/ava/profile.yml:2: unresolved git merge conflict marker '<<<<<<<'; "
            "keep the version you want and delete the marker lines",
            id="merge-conflict",
        ),
        pytest.param(
            "students/ava/profile.yml",
            "name: Ava\ngraduation_year: 2032\nname: Eva\n",
            "students/ava/profile.yml:3: key 'name' appears twice (first on line 1); keep one",
            id="duplicate-key",
        ),
        pytest.param(
            "students/ava/goals.yml",
            "goals:\n"
            "  - {id: a, domain: career, term: short, statement: x, status: in-progress}\n"
            "  - {id: a, domain: career, term: long, statement: y, status: in-progress}\n",
            "students/ava/goals.yml:3: goal id 'a' is used twice (first on line 2); give each its own id",
            id="duplicate-goal-id",
        ),
        pytest.param(
            "students/ava/profile.yml",
            "name: Ava\ngraduation_year: 2032\neducators: [mrivera, jchenn]\n",
            "students/ava/profile.yml:3: unknown educator 'jchenn' (did you mean 'jchen'?); use an id from the roster",
            id="unknown-educator",
        ),
        pytest.param(
            "students/ava/profile.yml",
            "name: Ava\ngraduation_year: 2032\ncareer:\n  clusters: [health-sciences]\n",
            "students/ava/profile.yml:4: unknown career cluster 'health-sciences' (did you mean 'health-science'?); "
            "see curriculum/reference/career-clusters.yml",
            id="unknown-cluster",
        ),
        pytest.param(
            "students/ava/goals.yml",
            "goals:\n  - id: a\n    domain: career\n    term: short\n    statement: x\n    status: in-progress\n"
            "    asca: [B-SMS 11]\n",
            "students/ava/goals.yml:7: unknown ASCA code 'B-SMS 11' (did you mean 'B-SMS 1'?)",
            id="unknown-asca",
        ),
        pytest.param(
            "students/ava/goals.yml",
            "goals:\n  - id: a\n    domain: career\n    term: short\n    statement: x\n    status: in-progress\n"
            "    visibility: famly\n",
            "students/ava/goals.yml:7: unknown visibility 'famly' (did you mean 'family'?) "
            "(expected: advisory, educator, family, private, public, student)",
            id="unknown-audience",
        ),
        pytest.param(
            "students/ava/goals.yml",
            "goals:\n  - id: a\n    domain: career\n    term: short\n    statement: x\n    status: in-progress\n"
            "    reviews:\n      - {date: 2026-10-01, by: mrs-smith}\n",
            "students/ava/goals.yml:8: unknown reviewer 'mrs-smith'; use a roster id, 'student' or 'family'",
            id="unknown-reviewer",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            "---\ntitle: Nursing\nactivity: g7-carrer-research\n---\nText.\n",
            "students/ava/career-exploration/nurse.md:3: unknown activity 'g7-carrer-research' "
            "(did you mean 'g7-career-research'?); see the framework's activities",
            id="unknown-activity",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            "---\ntitle: Nursing\nlesson: g7-no-such-lesson\n---\nText.\n",
            "students/ava/career-exploration/nurse.md:3: unknown lesson 'g7-no-such-lesson' "
            "(did you mean 'g7-test-lesson'?); see the lessons in curriculum/grade-NN/",
            id="unknown-lesson",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            "---\ntitle: Nursing\nsection: carreer-exploration\n---\nText.\n",
            "students/ava/career-exploration/nurse.md:3: unknown section 'carreer-exploration' "
            "(did you mean 'career-exploration'?) (expected: applied-learning, career-exploration, coursework, goals, "
            "postsecondary-career-planning, self-awareness, transition-planning)",
            id="unknown-section",
        ),
        pytest.param(
            "students/ava/carrer-exploration/nurse.md",
            "---\ntitle: Nursing\n---\nText.\n",
            "students/ava/carrer-exploration/nurse.md:1: unknown folder 'carrer-exploration' "
            "(did you mean 'career-exploration'?) (expected: applied-learning, career-exploration, coursework, goals, "
            "postsecondary-career-planning, self-awareness, transition-planning)",
            id="unknown-section-folder",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            "---\ntitle: Nursing\nvisibility: family\n\nText.\n",
            "students/ava/career-exploration/nurse.md:1: front matter opened with '---' is never closed; "
            "add a line '---' after its last field",
            id="front-matter-not-closed",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            "---\ntitle: Nursing\nvisiblity: private\n---\nText.\n",
            "students/ava/career-exploration/nurse.md:3: unknown key 'visiblity' (did you mean 'visibility'?) "
            "(expected: activity, date, lesson, section, summary, title, visibility)",
            id="front-matter-unknown-key",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            '---\ntitle: Nursing\n---\nText.\n\n## Money {: visibility="familly" }\n',
            "students/ava/career-exploration/nurse.md:6: unknown visibility 'familly' (did you mean 'family'?) "
            "(expected: advisory, educator, family, private, public, student)",
            id="heading-marker-unknown-audience",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            '---\ntitle: Nursing\n---\nText.\n\n## Money {: visiblity="private" }\n',
            "students/ava/career-exploration/nurse.md:6: unknown attribute 'visiblity' in heading marker "
            "(did you mean 'visibility'?); use {: visibility=\"...\" }",
            id="heading-marker-typo",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            "---\ntitle: Nursing\n---\nSee [Ben's plan](../../ben/goals.yml).\n",
            "students/ava/career-exploration/nurse.md:4: link '../../ben/goals.yml' leads out of your folder; "
            "link only to your own pages and artifacts",
            id="link-to-another-student",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            "---\ntitle: Nursing\n---\n![Chart](../artifacts/missing.png)\n",
            "students/ava/career-exploration/nurse.md:4: link '../artifacts/missing.png' leads to a file that does not "
            "exist in your folder",
            id="missing-artifact",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            "---\ntitle: Nursing\n---\n![Logo](https://example.com/logo.png)\n",
            "students/ava/career-exploration/nurse.md:4: image 'https://example.com/logo.png' is not a file in your "
            "folder; save it in artifacts/ and link it from there",
            id="remote-image",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            '---\ntitle: Nursing\n---\n<a href="javascript:alert(1)">click</a>\n',
            "students/ava/career-exploration/nurse.md:4: links starting with 'javascript:' are not allowed "
            "('http', 'https', 'mailto', 'tel')",
            id="javascript-link",
        ),
        pytest.param(
            "students/ava/career-exploration/nurse.md",
            "",
            "students/ava/career-exploration/nurse.md:1: file is empty; start it with front matter: '---', "
            "'title: ...', '---'",
            id="empty-page",
        ),
        pytest.param(
            "students/ava/goal.yml",
            "goals: []\n",
            "students/ava/goal.yml:1: unknown file 'goal.yml' (did you mean 'goals.yml'?) "
            "(expected: checklist.yml, courses.yml, experiences.yml, goals.yml, profile.yml, sharing.yml)",
            id="unknown-file",
        ),
    ],
)
def test_bad_input_message(district: District, rel: str, text: str, expected: str) -> None:
    district.write(rel, text, dedent=False)
    result = district.check()
    assert result.exit_code == 1, result.output
    assert expected in result.stdout.splitlines(), result.stdout


def test_not_utf8(district: District) -> None:
    district.write("students/ava/profile.yml", "name: Ava\nschool: Caf\xe9\n".encode("latin-1"))
    result = district.check()
    assert result.exit_code == 1
    assert (
        "students/ava/profile.yml:2: file is not UTF-8 text (byte 0xE9); open it in your editor and save it as UTF-8"
        in result.stdout.splitlines()
    )


def test_bom_and_crlf_are_accepted(district: District) -> None:
    text = (district.root / "students/ava/goals.yml").read_text(encoding="utf-8")
    district.write("students/ava/goals.yml", ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    page = (district.root / "students/ava/career-exploration/nurse.md").read_text(encoding="utf-8")
    district.write("students/ava/career-exploration/nurse.md", ("\ufeff" + page.replace("\n", "\r\n")).encode())
    result = district.check()
    assert result.exit_code == 0, result.output


def test_crlf_keeps_line_numbers(district: District) -> None:
    district.write("students/ava/goals.yml", b"goals:\r\n  - id: a\r\n    domain: acedemic\r\n")
    assert any(line.startswith("students/ava/goals.yml:3: unknown domain") for line in district.problems())


def test_alias_bomb(district: District) -> None:
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for n in range(1, 9):
        prev = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        levels.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    district.write("students/ava/profile.yml", "\n".join(levels) + "\n", dedent=False)
    result = district.check()
    assert result.exit_code == 1
    assert any(
        line.startswith("students/ava/profile.yml:")
        and "YAML expands to more than 100000 values (anchors '&' and aliases '*' repeated inside each other)" in line
        for line in result.stdout.splitlines()
    ), result.stdout


def test_symlink_out_of_the_folder(district: District, tmp_path_factory: pytest.TempPathFactory) -> None:
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.md"
    secret.write_text("---\ntitle: Not mine\n---\n", encoding="utf-8")
    (district.root / "students/ava/self-awareness").mkdir()
    (district.root / "students/ava/self-awareness/stolen.md").symlink_to(secret)
    result = district.check()
    assert result.exit_code == 1
    assert (
        "students/ava/self-awareness/stolen.md:1: symlink leads outside your folder; replace it with a copy of the file "
        "itself" in result.stdout.splitlines()
    )


def test_front_matter_offsets_count_from_the_file(district: District) -> None:
    district.write(
        "students/ava/self-awareness/me.md",
        "---\ntitle: Me\n\n# comment\ndate: 2026-02-31\n---\n\nText\n",
        dedent=False,
    )
    assert (
        "students/ava/self-awareness/me.md:5: '2026-02-31' is not a real date (day is out of range for month); "
        "write dates as YYYY-MM-DD" in district.problems()
    )


def test_one_broken_student_does_not_hide_others(district: District) -> None:
    district.write("students/ben/profile.yml", "name: Ben\ngraduation_year: 2031\nschool: X\neducators: [nobody]\n")
    result = district.check()
    assert result.exit_code == 1
    assert "students/ben/profile.yml:4: unknown educator 'nobody'; use an id from the roster" in result.stdout
    assert "2 students" in result.stderr


def test_check_a_single_student(district: District) -> None:
    district.write("students/ben/profile.yml", "name: Ben\ngraduation_year: 2031\neducators: [nobody]\n")
    result = district.check("students/ava")
    assert result.exit_code == 0, result.output
    assert "1 student" in result.stderr
    result = district.check("students/ben/profile.yml")
    assert result.exit_code == 1


def test_warnings_do_not_fail(district: District) -> None:
    district.write("students/ava/artifacts/unused.png", b"\x89PNG\r\n")
    result = district.check()
    assert result.exit_code == 0, result.output
    assert (
        "students/ava/artifacts/unused.png:1: warning: artifact is not linked from any page, so no portfolio shows it; "
        "link it from a page" in result.stdout.splitlines()
    )


def test_past_grade_activity_is_a_warning_current_grade_is_progress(district: District) -> None:
    result = district.check()
    assert (
        "students/ava/profile.yml:2: warning: 4 required activities of past grades have no evidence: "
        "grade 6: All about me (g6-all-about-me), First interest inventory (g6-interest-inventory), "
        "Exploring the career clusters (g6-career-clusters), My first SMART goals (g6-first-goals)"
    ) in result.stdout.splitlines()
    assert "grade 7" not in result.stdout
    progress = district.check(extra=("--progress",))
    assert (
        "students/ava/profile.yml:2: info: grade 7 (this year): 3 required activities have no evidence yet: "
        "How I learn best (g7-learning-styles), Goal check-in (g7-goal-review), Skills showcase (g7-skills-showcase)"
    ) in progress.stdout.splitlines()
    assert (
        "students/ava/profile.yml:2: info: grade 7 checklist not ticked yet: "
        "I know where to get extra help in each class (g7-ask-help); "
        "I take part in at least one club, sport, art or service activity (g7-activity); "
        "I have talked with an adult about the work they do (g7-career-talk)"
    ) in progress.stdout.splitlines()


def test_joined_student_is_not_asked_for_earlier_grades(district: District) -> None:
    profile = (district.root / "students/ava/profile.yml").read_text(encoding="utf-8")
    district.write("students/ava/profile.yml", profile + "joined:\n  date: 2026-08-27\n  grade: 7\n", dedent=False)
    result = district.check()
    assert result.exit_code == 0
    assert "grade 6 activity" not in result.stdout


def test_json_format(district: District) -> None:
    district.write("students/ava/goals.yml", "goals:\n  - id: a\n    domain: acedemic\n")
    result = district.check(extra=("--format", "json"))
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["summary"]["errors"] == 2
    assert {
        "path": "students/ava/goals.yml",
        "line": 3,
        "severity": "error",
        "message": "unknown domain 'acedemic' (expected: academic, career, social-emotional)",
    } in payload["diagnostics"]


def test_broken_framework_is_reported(district: District) -> None:
    path = district.root / "curriculum/framework.yml"
    text = path.read_text(encoding="utf-8").replace("section: self-awareness\n", "section: self-awarenes\n", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("        section: self-awarenes") + 1
    problems = district.problems("students/ava")
    assert any(p.startswith(f"curriculum/framework.yml:{line}: unknown section 'self-awarenes'") for p in problems), (
        problems
    )


def test_lesson_problems(district: District) -> None:
    district.write(
        "curriculum/grade-08/g8-bad.md",
        "---\nid: g8-bad\ntitle: Bad\ngrade: 9\nasca: [M 7]\nactivities: [g8-nope]\n---\nOnly students.\n",
        dedent=False,
    )
    problems = district.problems("curriculum")
    assert "curriculum/grade-08/g8-bad.md:4: grade 9 does not match the folder 'grade-08'" in problems
    assert any(p.startswith("curriculum/grade-08/g8-bad.md:5: unknown ASCA code 'M 7'") for p in problems)
    assert "curriculum/grade-08/g8-bad.md:6: unknown activity 'g8-nope'" in problems
    assert (
        "curriculum/grade-08/g8-bad.md:8: lesson has no facilitator part; add a heading such as "
        "'## Facilitator notes {: .facilitator }'" in problems
    )


def test_duplicate_lesson_id(district: District) -> None:
    district.write("curriculum/grade-07/copy.md", (district.root / "curriculum/grade-07/g7-test-lesson.md").read_text())
    problems = district.problems("curriculum")
    assert any("lesson id 'g7-test-lesson' is already used by curriculum/grade-07/" in p for p in problems), problems


def test_bad_configuration(district: District) -> None:
    district.write(
        "mkdocs.yml",
        "site_name: X\nplugins:\n  - ilp:\n      audiences: [student, educator, famly]\n      everyone: public\n",
    )
    problems = district.problems()
    assert "mkdocs.yml:5: everyone: unknown audience 'public' (expected: educator, famly, student)" in problems


def test_missing_root_config_is_a_clean_error(tmp_path: pytest.TempPathFactory) -> None:
    result = CliRunner().invoke(main, ["check", "--root", str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "Error: --root" in result.output
    assert "Traceback" not in result.output


def test_path_outside_the_repository(district: District, tmp_path: pytest.TempPathFactory) -> None:
    result = district.run("check", "--root", str(district.root), str(tmp_path))
    assert result.exit_code == 1
    assert "is not inside the ILP repository" in result.output


def test_reference_and_roster_duplicates(district: District) -> None:
    roster = (district.root / "students/roster.yml").read_text(encoding="utf-8")
    district.write("students/roster.yml", roster.replace("id: jchen", "id: mrivera"), dedent=False)
    line = roster.splitlines().index("  - id: jchen") + 1
    problems = district.problems()
    assert (
        f"students/roster.yml:{line}: educator id 'mrivera' is used twice (first on line "
        f"{roster.splitlines().index('  - id: mrivera') + 1}); give each its own id"
    ) in problems
    riasec = (district.root / "curriculum/reference/riasec.yml").read_text(encoding="utf-8")
    district.write("curriculum/reference/riasec.yml", riasec.replace("code: I\n", "code: R\n"), dedent=False)
    assert any(
        p.startswith("curriculum/reference/riasec.yml:") and "RIASEC code id 'R' is used twice" in p
        for p in district.problems()
    )


def test_internal_error_is_one_line_without_verbose(district: District, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.commands.check

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(generator.commands.check, "run_check", broken)
    result = district.run("check", "--root", str(district.root))
    assert result.exit_code == 1
    assert result.output.startswith("Error: internal error: RuntimeError: boom. This is a bug in ilp")
    assert "Traceback" not in result.output
    runner = CliRunner()
    with pytest.raises(RuntimeError):
        runner.invoke(main, ["--verbose", "check", "--root", str(district.root)], catch_exceptions=False)
