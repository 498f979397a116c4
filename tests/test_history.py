"""The change record from real git repositories made in tmp_path with fixed dates and authors."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

import pytest

from generator.history.changes import student_record
from generator.history.git import Writer, read_history
from generator.pipeline import build
from generator.render.names import CHANGE_RECORD
from tests.conftest import TODAY_DATE, District

UTC = datetime.UTC
AVA = ("Ava Reyes", "ava@students.example.org")
RIVERA = ("Ms. Marisol Rivera", "mrivera@harborview.example.org")
MOM = ("Rosa Reyes", "rosa@example.org")
STRANGER = ("Someone Else", "someone@example.net")


def at(day: str, hour: int = 15) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), UTC)


def files_of(root: Path, prefix: str = "") -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and p.relative_to(root).as_posix().startswith(prefix)
    }


def text(path: Path) -> str:
    return re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))


@pytest.fixture
def repo(district: District) -> Writer:
    """The district with Ava's profile, goals and one page committed over two school years."""
    profile = (district.root / "students/ava/profile.yml").read_text(encoding="utf-8")
    profile += "emails: [ava@students.example.org]\nfamily:\n  - name: Rosa Reyes\n    relationship: mother\n    emails: [rosa@example.org]\n"
    district.write("students/ava/profile.yml", profile, dedent=False)
    page = district.root / "students/ava/career-exploration/nurse.md"
    final_page = page.read_bytes()
    goals = district.root / "students/ava/goals.yml"
    final_goals = goals.read_bytes()
    writer = Writer(district.root)
    everything = files_of(district.root)
    first = {k: v for k, v in everything.items() if not k.startswith("students/ava/")}
    writer.commit(first, *STRANGER, at("2025-08-20"), "Set up the district")
    ava = {
        k: v
        for k, v in everything.items()
        if k.startswith("students/ava/") and "nurse" not in k and "goals.yml" not in k
    }
    early_goals = final_goals.replace(b"Get a B in math this semester.", b"Do better in math.").split(b"    reviews:")[
        0
    ]
    writer.commit({**ava, "students/ava/goals.yml": early_goals}, *AVA, at("2025-09-10"), "Start my ILP")
    writer.commit(
        {"students/ava/career-exploration/nurse.md": b"---\ntitle: Nursing draft\n---\nFirst draft.\n"},
        *AVA,
        at("2025-10-01"),
        "Draft nursing page",
    )
    writer.commit(
        {"students/ava/goals.yml": final_goals}, *RIVERA, at("2026-01-22"), "Mid-year: make the math goal measurable"
    )
    writer.commit(
        {"students/ava/career-exploration/nurse.md": final_page}, *AVA, at("2026-10-12"), "Finish my nursing research"
    )
    writer.commit(
        {"students/ava/checklist.yml": (district.root / "students/ava/checklist.yml").read_bytes() + b"\n"},
        *MOM,
        at("2026-10-20"),
        "Tick a box",
    )
    return writer


def test_timeline_matches_git_log_follow(district: District, repo: Writer) -> None:
    repo.move(
        "students/ava/career-exploration/nurse.md",
        "students/ava/career-exploration/nursing.md",
        *AVA,
        at("2026-11-01"),
        "Rename",
    )
    history = read_history(district.root, ["students/ava/goals.yml"])
    from generator.check.student import load_student

    checked = _district(district)
    roster = checked.roster or {}  # type: ignore[attr-defined]
    student, _ = load_student(district.root, "ava", checked)  # type: ignore[arg-type]
    assert student is not None
    record = student_record(history, student, roster)
    ours = [e.commit.sha for e in record.entries if any(i.name == "career-exploration/nursing.md" for i in e.items)]
    follow = subprocess.run(
        ["git", "log", "--follow", "--format=%H", "--", "students/ava/career-exploration/nursing.md"],
        cwd=district.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert ours == follow
    assert len(ours) == 3
    roles = {e.commit.message: (e.role, e.who) for e in record.entries}
    assert roles["Start my ILP"] == ("student", "Ava Reyes")
    assert roles["Mid-year: make the math goal measurable"] == ("educator", "Ms. Marisol Rivera")
    assert roles["Tick a box"] == ("family", "Rosa Reyes")
    assert all(m != "Set up the district" for m in roles)


def _district(district: District) -> object:
    from generator.check.district import load_district

    return load_district(district.root, TODAY_DATE)[0]


def site(district: District) -> Path:
    out = district.root.parent / "site"
    result = build(district.root, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    return out


def test_change_record_page_for_the_student_and_for_the_family(district: District, repo: Writer) -> None:
    out = site(district)
    student = text(out / "student/ava/change-record/index.html")
    assert "2025-2026" in student
    assert "2026-2027" in student
    assert "Fall semester" in student
    assert "Spring semester" in student
    assert "Ms. Marisol Rivera (educator)" in student
    assert "Rosa Reyes (family)" in student
    assert "Mid-year: make the math goal measurable" in student
    assert re.search(r"2025-2026\s*\|\s*3\s*\|\s*2 \(67%\)", student.replace("\n", " | ")) or "67%" in student
    family = text(out / "family/ava/change-record/index.html")
    assert "January 22, 2026" in family
    assert "Mid-year" not in family
    assert "Rivera" not in family
    assert "Rosa" not in family
    assert "(student)" not in family
    assert "Checklist" not in family  # the checklist is not shared with the family


def test_goal_evolution_on_the_goals_page(district: District, repo: Writer) -> None:
    out = site(district)
    goals = text(out / "family/ava/my-goals/index.html")
    page = (out / "family/ava/my-goals/index.html").read_text(encoding="utf-8")
    # its own heading, then one list item a school year, one line a moment of it, in order
    assert '<h4 id="how-this-goal-changed">How this goal changed</h4>\n<ul>' in page
    years = re.findall(r"<li>\s*<p><em>(\d{4}-\d{4})</em></p>\s*<ul>(.*?)</ul>", page, re.S)
    moments = {
        year: [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<li>(.*?)</li>", body, re.S)]
        for year, body in years
    }
    assert moments["2025-2026"] == [
        "Mid-year (in progress): Do better in math.",
        "Revised on January 22, 2026",
        "End of year (in progress): Get a B in math this semester.",
    ]
    assert moments["2026-2027"] == ["Start of year (in progress): Get a B in math this semester.", "Now: unchanged"]
    assert "Goals set" in goals
    assert ".;" not in goals


def test_overdue_review_is_marked_for_student_and_educator_only(district: District, repo: Writer) -> None:
    goals = (district.root / "students/ava/goals.yml").read_text(encoding="utf-8").replace("2026-11-02", "2026-03-02")
    repo.commit({"students/ava/goals.yml": goals.encode()}, *RIVERA, at("2026-03-02"), "Review")
    out = site(district)
    assert "Review overdue: last reviewed March 2, 2026" in text(out / "educator/ava/my-goals/index.html")
    assert "Review overdue" in text(out / "student/ava/my-goals/index.html")
    assert "Review overdue" not in text(out / "family/ava/my-goals/index.html")


def test_review_checks_against_the_commits(district: District, repo: Writer) -> None:
    goals = (district.root / "students/ava/goals.yml").read_text(encoding="utf-8")
    goals = goals.replace("date: 2026-11-02", "date: 2026-11-20")
    goals += "  - id: new-goal\n    domain: career\n    term: short\n    statement: Visit a hospital.\n    status: in-progress\n    reviews:\n      - {date: 2026-01-05, by: mrivera}\n"
    repo.commit({"students/ava/goals.yml": goals.encode()}, *RIVERA, at("2026-11-10"), "Reviews")
    problems = district.problems()
    lines = goals.splitlines()
    dated = next(i for i, line in enumerate(lines, 1) if "date: 2026-11-20" in line)
    assert (
        f"students/ava/goals.yml:{dated}: warning: review dated 2026-11-20 was recorded on 2026-11-10, before it happened; "
        "date it the day it took place" in problems
    )
    early = next(i for i, line in enumerate(lines, 1) if "2026-01-05" in line)
    assert (
        f"students/ava/goals.yml:{early}: warning: review dated 2026-01-05 is before the goal existed "
        "(it was first committed on 2026-11-10)" in problems
    )


def test_narrowed_page_and_old_versions_never_reach_the_family(district: District, repo: Writer) -> None:
    canary_old, canary_title, canary_message = "canaryOldVersion1234", "canaryTitle5678", "canaryMessage9012"
    district.write(
        "students/ava/self-awareness/diary.md",
        f"---\ntitle: {canary_title}\n---\nShared once. {canary_old}\n",
        dedent=False,
    )
    repo.commit(
        files_of(district.root, "students/ava/self-awareness/"), *AVA, at("2026-09-01"), f"Share {canary_message}"
    )
    district.write(
        "students/ava/self-awareness/diary.md",
        f"---\ntitle: {canary_title}\nvisibility: private\n---\nNow private.\n",
        dedent=False,
    )
    repo.commit(files_of(district.root, "students/ava/self-awareness/"), *AVA, at("2026-09-15"), "Make it private")
    out = site(district)
    for audience in ("family", "advisory", "public"):
        for file in (out / audience).rglob("*"):
            if file.is_file():
                data = file.read_text(encoding="utf-8", errors="replace")
                for canary in (canary_old, canary_title, canary_message, "Now private."):
                    assert canary not in data, (audience, file)
    assert canary_message in text(out / "student/ava/change-record/index.html")


def test_no_git_repository(district: District) -> None:
    out = site(district)
    assert "There is no change record: this ILP is not kept in a git repository" in text(
        out / "student/ava/change-record/index.html"
    )


def test_shallow_clone(district: District, repo: Writer, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{district.root}", str(clone)], check=True)
    result = District(clone).run("build", "--root", str(clone), "--out", str(tmp_path / "out"), "--today", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert "warning: the repository is a shallow clone: the change record is partial" in result.output
    assert "This history is partial" in text(tmp_path / "out/student/ava/change-record/index.html")


def test_odd_history(district: District, repo: Writer) -> None:
    root = district.root
    subprocess.run(["git", "checkout", "-q", "-b", "side"], cwd=root, check=True)
    repo.commit(
        {"students/ava/self-awareness/side.md": b"---\ntitle: From a branch\n---\nx\n"},
        *AVA,
        at("2026-10-25"),
        "On a branch",
    )
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)
    repo.commit(
        {"students/ava/self-awareness/main.md": b"---\ntitle: On main\n---\ny\n"}, *AVA, at("2026-10-26"), "On main"
    )
    env = {"GIT_AUTHOR_DATE": "1793000000 +0000", "GIT_COMMITTER_DATE": "1793000000 +0000", "HOME": str(root.parent)}
    subprocess.run(
        ["git", "-c", "user.name=X", "-c", "user.email=x@example.net", "merge", "-q", "--no-edit", "side"],
        cwd=root,
        check=True,
        env={**env, "PATH": "/usr/bin:/bin"},
    )
    (root / "students/ava/self-awareness/main.md").write_text("---\ntitle: On main\n---\nchanged\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Caf\xe9",
            "-c",
            "user.email=cafe@example.net",
            "-c",
            "i18n.commitEncoding=latin1",
            "commit",
            "-q",
            "-F",
            "-",
        ],
        cwd=root,
        check=True,
        input="Caf\xe9 au lait".encode("latin-1"),
        env={
            **env,
            "GIT_AUTHOR_DATE": "2000000000 +0000",
            "GIT_COMMITTER_DATE": "2000000000 +0000",
            "PATH": "/usr/bin:/bin",
        },
    )
    out = site(district)
    record = text(out / "student/ava/change-record/index.html")
    assert "From a branch" in record
    assert "On main" in record
    assert "(dated in the future)" in record
    assert "(other)" in record


def test_page_moved_between_students(district: District, repo: Writer) -> None:
    district.write("students/ben/profile.yml", "name: Ben Cho\ngraduation_year: 2031\neducators: [mrivera]\n")
    repo.commit(files_of(district.root, "students/ben/"), *STRANGER, at("2026-09-01"), "Ben joins")
    repo.commit(
        {"students/ava/self-awareness/bens.md": b"---\ntitle: Nursing draft\n---\nBen's text.\n"},
        *AVA,
        at("2026-10-02"),
        "Commit made in Ava's folder",
    )
    repo.move(
        "students/ava/self-awareness/bens.md",
        "students/ben/self-awareness/bens.md",
        *STRANGER,
        at("2026-10-30"),
        "Wrong folder: this page is Ben's",
    )
    out = site(district)
    ben = text(out / "student/ben/change-record/index.html")
    assert "moved in" in ben
    assert "Self-Awareness: Nursing draft: moved in" in ben
    assert "Commit made in Ava's folder" not in ben
    assert "Start my ILP" not in ben
    ava = text(out / "student/ava/change-record/index.html")
    assert "moved out" in ava
    assert "Ben joins" not in ava
    assert "Ben's text." not in "".join(text(p) for p in (out / "student/ava").rglob("*.html"))


def test_one_commit_touching_many_students(district: District, repo: Writer) -> None:
    files: dict[str, bytes | None] = {}
    for n in range(60):
        files[f"students/s{n:02d}/profile.yml"] = (
            f"name: Student {n}\ngraduation_year: 2031\neducators: [mrivera]\n".encode()
        )
    repo.commit(files, *RIVERA, at("2026-09-02"), "Add the new sixth graders")
    out = site(district)
    assert "Add the new sixth graders" in text(out / "student/s42/change-record/index.html")
    assert "Add the new sixth graders" not in text(out / "student/ava/change-record/index.html")


def test_demo_district(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    target = tmp_path / "demo"
    created = CliRunner().invoke(main, ["demo", str(target)])
    assert created.exit_code == 0, created.output
    checked = CliRunner().invoke(main, ["check", "--root", str(target)])
    assert checked.exit_code == 0, checked.output
    assert "0 errors" in checked.stderr
    log = subprocess.run(
        ["git", "log", "--format=%as|%an|%P|%s", "--name-status", "-M"],
        cwd=target,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    dates = re.findall(r"^(\d{4}-\d{2}-\d{2})\|", log, re.M)
    assert min(dates) < "2025-09-01"
    assert max(dates) > "2026-11-01"
    assert re.search(
        r"^R\d+\s+students/leo-martinez/self-awareness/career-clusters.md\s+students/leo-martinez/career-exploration/career-clusters.md",
        log,
        re.M,
    )
    merges = [line for line in re.findall(r"^\d{4}-\d{2}-\d{2}\|[^|]*\|([^|]*)\|", log, re.M) if len(line.split()) == 2]
    assert merges, "the transfer-in student's folder arrives with its own history"
    assert "Record goal review" in log
    again = CliRunner().invoke(main, ["demo", str(target)])
    assert again.exit_code == 1
    assert "already exists and is not empty" in again.output
    result = build(target, tmp_path / "site")
    assert not result.errors
    record = text(tmp_path / "site/student/leo-martinez" / CHANGE_RECORD.replace(".md", ".html"))  # file URLs
    assert "renamed from self-awareness/career-clusters.md" in record
