"""`ilp promote`: a new school year for the sample district and for small districts in real git repositories."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.cli import main
from generator.errors import IlpError
from generator.history.moves import move_to_graduates
from generator.history.record import review_states
from generator.pipeline import build, corpus
from tests.conftest import District

SUMMER = "2027-07-01"  # after the 2026-2027 school year ends (06-17), before 2027-2028 starts (08-27)
GRADUATES = {"emily-tran": "Emily Tran", "aaliyah-washington": "Aaliyah Washington"}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "-c", "user.name=Ms. Rivera", "-c", "user.email=mrivera@harborview.example.org", "commit", "-qm", message)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample") / "demo"
    created = run("demo", str(folder))
    assert created.exit_code == 0, created.output
    return folder


@pytest.fixture
def demo(sample: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample district (a git repository with two school years of history)."""
    return Path(shutil.copytree(sample, tmp_path / "demo", symlinks=True))


def promote(root: Path, *args: str, today: str = SUMMER) -> Result:
    return run("promote", "--root", str(root), "--today", today, *args)


def test_summer_promotion_of_the_sample_district(demo: Path) -> None:
    before = snapshot(demo)
    result = promote(demo)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(
        "ilp promote: 2026-2027 -> 2027-2028 (by the calendar, 2027-07-01 is in the summer after 2026-2027)"
    )
    assert "  emily-tran: graduated (grade 12 in 2026-2027): moved to graduates/emily-tran/ (git mv)" in out
    assert "  amara-osei: grade 7, was 6" in out
    assert "    goals carried over into 2027-2028: math-quizzes, art-club-friends" in out
    assert "    review of math-quizzes due by 2027-11-27, overdue after 2028-02-27" in out
    assert "Nothing is committed. Review the changes with `git status` and `git diff`" in out
    assert "ilp check: 0 errors" in result.stderr

    roster = (demo / "students/roster.yml").read_text(encoding="utf-8")
    assert roster.startswith(before["students/roster.yml"].decode())
    assert yaml.safe_load(roster)["school_year"] == "2027-2028"

    checklist = yaml.safe_load((demo / "students/amara-osei/checklist.yml").read_text(encoding="utf-8"))
    framework = yaml.safe_load((demo / "curriculum/framework.yml").read_text(encoding="utf-8"))
    grade7 = next(p for p in framework["grades"] if p["grade"] == 7)
    assert checklist["items"][-len(grade7["checklist"]) :] == [
        {"id": c["id"], "done": False} for c in grade7["checklist"]
    ]

    for folder in (demo / "students").iterdir():
        goals_file = folder / "goals.yml"
        if not goals_file.is_file():
            continue
        for goal in yaml.safe_load(goals_file.read_text(encoding="utf-8"))["goals"]:
            is_open = goal["status"] in ("not-started", "in-progress") and goal["set"] < datetime.date(2027, 6, 18)
            assert goal.get("carried_over") == (["2027-2028"] if is_open else None), (folder.name, goal["id"])

    page = (demo / "students/amara-osei/career-exploration/grade-07.md").read_text(encoding="utf-8")
    assert page.startswith('---\ntitle: "Grade 7 activities"\n---\n')
    assert "add `activity: g7-career-research` to its front matter" in page
    assert (demo / "students/amara-osei/applied-learning/index.md").is_file()  # a section without pages: as ilp new

    # Graduates moved whole, with their history; nothing else moved or disappeared.
    for student_id in GRADUATES:
        assert not (demo / "students" / student_id).exists()
        moved = {k: v for k, v in before.items() if k.startswith(f"students/{student_id}/")}
        for rel, data in moved.items():
            assert (demo / rel.replace("students/", "graduates/", 1)).read_bytes() == data
    renames = [line for line in git(demo, "status", "--porcelain").splitlines() if line.startswith("R ")]
    assert renames
    assert all("-> graduates/" in line for line in renames)

    # Every line a student wrote is still there, in order: the only changes are inserted lines.
    after = snapshot(demo)
    for rel, data in before.items():
        if not rel.startswith("students/"):
            continue
        now = after.get(rel) or after[rel.replace("students/", "graduates/", 1)]
        old_lines, new_lines = data.decode().splitlines(), now.decode().splitlines()
        operations = {
            op for op, *_ in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes()
        }
        assert operations <= {"equal", "insert"}, rel
    assert set(before) - {r for r in before if r.startswith(tuple(f"students/{g}/" for g in GRADUATES))} <= set(after)

    checked = run("check", "--root", str(demo), "--today", SUMMER)
    assert checked.exit_code == 0, checked.output
    assert "0 errors" in checked.stderr

    commit(demo, "Start 2027-2028")
    followed = git(demo, "log", "--follow", "--format=%s", "--", "graduates/emily-tran/goals.yml").splitlines()
    assert followed[0] == "Start 2027-2028"
    assert len(followed) > 2, followed


def test_promoting_again_changes_nothing(demo: Path) -> None:
    first = promote(demo)
    assert first.exit_code == 0, first.output
    done = snapshot(demo)
    status = git(demo, "status", "--porcelain")
    again = promote(demo, "--to", "2027-2028")
    assert again.exit_code == 0, again.output
    assert "Nothing to change: every student folder is set up for 2027-2028 already." in again.stdout
    assert snapshot(demo) == done
    assert git(demo, "status", "--porcelain") == status
    # Without --to, a second run would start 2028-2029 before its time: it is refused, not done.
    default = promote(demo)
    assert default.exit_code == 1
    assert (
        "2027-2028 is the current school year (students/roster.yml:51 says the folders are set up for it), so there is "
        "no school year to start by default; to start 2028-2029 early, name it: ilp promote --to 2028-2029"
    ) in default.output
    assert snapshot(demo) == done


def test_dry_run_prints_the_summary_and_a_diff_and_writes_nothing(demo: Path) -> None:
    before = snapshot(demo)
    result = promote(demo, "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "  emily-tran: graduated (grade 12 in 2026-2027): moves to graduates/emily-tran/, out of the sites" in out
    assert "--- a/students/amara-osei/goals.yml\n+++ b/students/amara-osei/goals.yml\n" in out
    assert (
        "   - id: math-quizzes\n+    carried_over:  # unfinished: ilp promote carried it into these school years\n"
        in out
    )
    assert '+      - "2027-2028"\n' in out
    assert "--- /dev/null\n+++ b/students/amara-osei/career-exploration/grade-07.md\n" in out
    assert '+school_year: "2027-2028"  # the school year the student folders are set up for (ilp promote)' in out
    assert "rename students/emily-tran/ => graduates/emily-tran/ (" in out
    assert "Dry run: nothing was written." in result.stderr
    assert snapshot(demo) == before
    assert git(demo, "status", "--porcelain") == ""


def _built_mentions(site: Path, words: list[str]) -> list[str]:
    found = []
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.relative_to(site)}: {word}" for word in words if word.encode() in data]
            found += [f"{path.relative_to(site)} (name)" for word in words if word in path.as_posix()]
    return found


def test_build_after_promote_publishes_no_graduate(demo: Path, tmp_path: Path) -> None:
    words = [*GRADUATES, *GRADUATES.values()]
    for page in (demo / "content").rglob("*.md"):  # district guides that use the sample names as examples
        if any(word in page.read_text(encoding="utf-8") for word in words):
            page.unlink()
    built = build(demo, tmp_path / "before", datetime.date(2027, 6, 1))
    assert not built.errors
    assert _built_mentions(tmp_path / "before", words), "the graduates are published before promote"
    assert promote(demo).exit_code == 0
    for name in ("uncommitted", "committed"):  # as promote leaves it, then as the counselor commits it
        if name == "committed":
            commit(demo, "Start 2027-2028")
        site = tmp_path / name
        result = build(demo, site, datetime.date.fromisoformat(SUMMER))
        assert not result.errors, [d.format() for d in result.errors]
        assert (site / "student/amara-osei/index.html").is_file()
        assert _built_mentions(site, words) == []


def test_review_cadence_counts_from_the_start_of_the_carried_year(district: District) -> None:
    loaded = corpus(district.root, datetime.date(2026, 11, 25), history=False, artifacts=False)
    framework = loaded.district.framework
    assert framework is not None
    ava = loaded.students[0]
    goal = dict(ava.goals[0])  # set 2026-09-10, last reviewed 2026-11-02
    plain = dataclasses.replace(ava, goals=(goal,))
    carried = dataclasses.replace(ava, goals=({**goal, "carried_over": ["2027-2028"]},))

    def state(student: object, day: str) -> tuple[bool, bool]:
        found = review_states(student, framework, datetime.date.fromisoformat(day))["math-b"]  # type: ignore[arg-type]
        return found.due, found.overdue

    assert state(plain, "2027-10-01") == (True, True)  # 11 months after the last review
    assert state(carried, "2027-10-01") == (False, False)  # the cadence starts on 2027-08-27
    assert state(carried, "2027-07-01") == (False, False)  # the summer before: not due yet
    assert state(carried, "2027-11-28") == (True, False)  # three months into the year: due
    assert state(carried, "2028-02-28") == (True, True)  # six months: overdue
    reviewed = {
        **goal,
        "carried_over": ["2027-2028"],
        "reviews": [*goal["reviews"], {"date": "2027-10-15", "by": "mrivera"}],
    }
    assert (
        review_states(dataclasses.replace(ava, goals=(reviewed,)), framework, datetime.date(2028, 2, 28))[
            "math-b"
        ].overdue
        is False
    )  # a review in the year counts from that review
    # A goal carried into an earlier year counts from its reviews as before.
    old = dataclasses.replace(ava, goals=({**goal, "carried_over": ["2026-2027"]},))
    assert state(old, "2027-10-01") == (True, True)


def test_stored_grades_go_up_and_a_folder_outside_git_is_renamed(district: District) -> None:
    district.write(
        "students/ben/profile.yml",
        "name: Ben Ortiz\ngrade: 12  # senior\neducators: [dadeyemi]\n",
    )
    district.write("students/cara/profile.yml", "name: Cara Lee\ngrade: 7\neducators: [mrivera]\n")
    district.write(
        "students/cara/checklist.yml", "items:\r\n  - id: g7-grades-check\r\n    done: true\r\n", dedent=False
    )
    result = promote(district.root, "--to", "2027-2028")
    assert result.exit_code == 0, result.output
    assert (
        "  ben: graduated (grade 12 in 2026-2027): moved to graduates/ben/ (renamed), out of the sites" in result.stdout
    )
    assert "  cara: grade 8, was 7" in result.stdout
    assert not (district.root / "students/ben").exists()
    assert (
        (district.root / "graduates/ben/profile.yml")
        .read_text(encoding="utf-8")
        .startswith("name: Ben Ortiz\ngrade: 12")
    )
    assert (district.root / "students/cara/profile.yml").read_text(encoding="utf-8") == (
        "name: Cara Lee\ngrade: 8\neducators: [mrivera]\n"
    )
    checklist = (district.root / "students/cara/checklist.yml").read_bytes()
    assert checklist.startswith(b"items:\r\n  - id: g7-grades-check\r\n    done: true\r\n  - id: g8-grad-requirements")
    assert b"\n" not in checklist.replace(b"\r\n", b"")  # the file's own line endings
    assert promote(district.root, "--to", "2027-2028").stdout.startswith("Nothing to change")
    assert "grade: 8\n" in (district.root / "students/cara/profile.yml").read_text(encoding="utf-8")


def test_school_years_that_are_not(district: District) -> None:
    for value in ("2027", "2027-2029", "27-28"):
        result = promote(district.root, "--to", value)
        assert result.exit_code == 2
        assert f"'{value}' is not a school year; write two consecutive years, such as 2027-2028" in result.output
    earlier = promote(district.root, "--to", "2025-2026")
    assert earlier.exit_code == 1
    assert "--to 2025-2026 is before 2026-2027, the school year the folders are set up for" in earlier.output
    assert "Traceback" not in earlier.output
    district.write(
        "students/roster.yml", (district.root / "students/roster.yml").read_text() + 'school_year: "2026-2028"\n'
    )
    bad = promote(district.root)
    assert bad.exit_code == 1
    assert "students/roster.yml:51: school_year '2026-2028' is not a school year" in bad.output


def test_during_the_school_year_the_year_must_be_named(district: District) -> None:
    refused = promote(district.root, today="2027-05-01")
    assert refused.exit_code == 1
    assert "to start 2027-2028 early, name it: ilp promote --to 2027-2028" in refused.output
    assert not (district.root / "students/ava/goals.yml").read_text().count("carried_over")
    early = promote(district.root, "--to", "2027-2028", today="2027-05-01")
    assert early.exit_code == 0, early.output
    assert "note: today (2027-05-01) is still in 2026-2027" in early.stdout
    assert "from 2027-06-18" in early.stdout
    problems = district.problems()  # as of 2026-11-25: the carried year has not started
    assert (
        "students/ava/goals.yml:4: warning: carried_over '2027-2028': that school year has not started yet "
        "(today is in 2026-2027); ilp promote was run early, or the year is wrong"
    ) in problems


def test_nothing_is_written_while_a_folder_has_errors(district: District) -> None:
    district.write("students/ava/experiences.yml", "experiences:\n  - id: art-club\n    type: clubb\n")
    district.write("students/cara/profile.yml", "name: Cara Lee\ngrade: 7\n")
    district.write("students/cara/checklist.yml", "items: [{id: g7-grades-check, done: true}]\n")
    before = snapshot(district.root)
    result = promote(district.root, "--to", "2027-2028")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("students/ava/experiences.yml:3: ") for line in lines), lines
    assert "ilp promote changed nothing: fix the problems above first" in result.stderr
    assert snapshot(district.root) == before
    district.write("students/ava/experiences.yml", "experiences: []\n")
    flow = promote(district.root, "--to", "2027-2028")
    assert flow.exit_code == 1
    assert (
        "students/cara/checklist.yml:1: the checklist is written as a flow list [...]; write one '- id: ...' item a "
        "line so ilp promote can add items"
    ) in flow.stderr
    assert (district.root / "students/ava/goals.yml").read_bytes() == before["students/ava/goals.yml"]


def test_carried_over_is_checked(district: District) -> None:
    goals = (district.root / "students/ava/goals.yml").read_text(encoding="utf-8")
    district.write(
        "students/ava/goals.yml",
        goals.replace(
            "  - id: math-b\n", '  - id: math-b\n    carried_over: ["2026-2028", "2025-2026", "2027-2028"]\n'
        ),
        dedent=False,
    )
    problems = district.problems()
    assert (
        "students/ava/goals.yml:3: carried_over '2026-2028' is not a school year; write two consecutive years, "
        "such as '2026-2027'"
    ) in problems
    assert (
        "students/ava/goals.yml:3: warning: carried_over '2025-2026', but the goal was set on 2026-09-10, in 2026-2027; "
        "a goal is carried over only into a later school year than the one it was set in"
    ) in problems
    assert any("carried_over '2027-2028': that school year has not started yet" in p for p in problems)
    district.write(
        "students/ava/goals.yml",
        goals.replace("  - id: math-b\n", "  - id: math-b\n    carried_over:\n      - 2027/28\n"),
        dedent=False,
    )
    assert [p for p in district.problems() if "2027/28" in p] == [
        "students/ava/goals.yml:4: carried_over: '2027/28' is not in the expected form: ^[0-9]{4}-[0-9]{4}$"
    ]


def test_a_graduate_whose_folder_exists_already(demo: Path) -> None:
    (demo / "graduates/emily-tran").mkdir(parents=True)
    before = snapshot(demo)
    result = promote(demo)
    assert result.exit_code == 1
    assert (
        "students/emily-tran/profile.yml:2: finished grade 12 in 2026-2027, but graduates/emily-tran already exists; "
        "compare the two folders, keep one, and run again"
    ) in result.stderr
    assert snapshot(demo) == before
    with pytest.raises(IlpError, match="graduates/emily-tran already exists"):
        move_to_graduates(demo, "emily-tran")
    with pytest.raises(IlpError, match="students/nobody is not a student folder"):
        move_to_graduates(demo, "nobody")


def test_a_student_submodule_moves_with_git_mv(district: District, tmp_path: Path) -> None:
    own = tmp_path / "emma-repo"
    shutil.copytree(district.root / "students/ava", own)
    shutil.rmtree(district.root / "students/ava")
    git(own, "init", "-q", "-b", "main")
    commit(own, "My ILP")
    git(district.root, "init", "-q", "-b", "main")
    commit(district.root, "The district")
    git(district.root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(own), "students/emma")
    commit(district.root, "Emma's ILP, her own repository")
    assert move_to_graduates(district.root, "emma") == "git mv"
    assert (district.root / "graduates/emma/profile.yml").is_file()
    assert "path = graduates/emma" in (district.root / ".gitmodules").read_text()
    assert git(district.root / "graduates/emma", "log", "--format=%s").strip() == "My ILP"
    commit(district.root, "Emma graduates")
    assert "graduates/emma" in git(district.root, "submodule", "status")
    assert not (district.root / "students/emma").exists()


def test_which_goals_are_carried_and_how_they_are_marked(district: District) -> None:
    district.write(
        "students/ava/goals.yml",
        """\
        goals:
          - id: math-b  # from this year
            domain: academic
            term: short
            statement: Get a B in math this semester.
            status: in-progress
            set: 2026-09-10
          - domain: career
            id: job-shadow
            carried_over: ["2026-2027"]
            term: long
            statement: Shadow a nurse.
            status: not-started
            set: 2025-09-10
          - id: summer-reading
            domain: academic
            term: short
            statement: Read three books this summer.
            status: in-progress
            set: 2027-06-20
          - id: art-show
            domain: social-emotional
            term: short
            statement: Show a drawing at the art show.
            status: achieved
            set: 2026-09-10
        """,
    )
    before = (district.root / "students/ava/goals.yml").read_text(encoding="utf-8")
    result = promote(district.root)
    assert result.exit_code == 0, result.output
    assert "    goals carried over into 2027-2028: math-b, job-shadow" in result.stdout
    after = (district.root / "students/ava/goals.yml").read_text(encoding="utf-8")
    expected = before.replace(
        "  - id: math-b  # from this year\n",
        "  - id: math-b  # from this year\n"
        "    carried_over:  # unfinished: ilp promote carried it into these school years\n"
        '      - "2027-2028"\n',
    ).replace('    carried_over: ["2026-2027"]\n', '    carried_over: ["2026-2027", "2027-2028"]\n')
    assert after == expected
    checked = run("check", "--root", str(district.root), "--today", SUMMER)
    assert "0 errors" in checked.stderr, checked.output
