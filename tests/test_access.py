"""Who may read what, from the roster and the profiles (in memory), and start pages that list no one else."""

from __future__ import annotations

from pathlib import Path

from generator.config import Options
from generator.deploy.access import access, caseload
from generator.model import Educator, Student
from generator.model.source import Doc
from generator.pipeline import build
from tests.conftest import TODAY_DATE, District

OPTIONS = Options()


def student(sid: str, **profile: object) -> Student:
    data = {"name": sid.title(), "grade": 7, **profile}
    return Student(sid, f"students/{sid}", data, (), {}, (), (), (), (), {"profile.yml": Doc("", data, {})})


ROSTER = {
    "rivera": Educator("rivera", "Ms. Rivera", "counselor", ("Rivera@School.example.org",), "North"),
    "chen": Educator("chen", "Ms. Chen", "advisor", ("chen@school.example.org",), "North"),
    "lead": Educator("lead", "Dr. Lead", "administrator", ("lead@school.example.org",), "North", "school"),
    "boss": Educator("boss", "Mr. Boss", "administrator", ("boss@district.example.org",), "", "district"),
}
STUDENTS = [
    student(
        "ava",
        school="North",
        educators=["rivera", "chen"],
        emails=["ava@students.example.org"],
        advisory="Advisory 7B",
        family=[{"name": "Pat", "relationship": "parent", "emails": ["pat@home.example.org"]}],
    ),
    student(
        "ben",
        school="North",
        educators=["chen"],
        emails=["ben@students.example.org"],
        advisory="Advisory 7B",
        family=[{"name": "Pat", "relationship": "parent", "emails": ["PAT@home.example.org"]}],
    ),
    student("cal", school="South", educators=[], emails=["cal@students.example.org"], advisory="Advisory 7B"),
]


def test_a_student_reads_only_their_own_student_view() -> None:
    rules = access(STUDENTS, ROSTER, OPTIONS)
    assert rules.may_read("ava@students.example.org", "student/ava/goals/index.html")
    assert not rules.may_read("ava@students.example.org", "student/ben/index.html")
    assert not rules.may_read("ava@students.example.org", "family/ava/index.html")
    assert not rules.may_read("ava@students.example.org", "educator/ava/index.html")


def test_a_family_member_reads_each_childs_family_view_and_one_start_page() -> None:
    rules = access(STUDENTS, ROSTER, OPTIONS)
    pat = rules.readers["pat@home.example.org"]
    family = [g for g in rules.groups if g.kind == "family"]
    assert len(family) == 1
    assert family[0].students == ("ava", "ben")
    assert set(pat) == {"family/ava/", "family/ben/", f"{family[0].dest}/"}
    assert not rules.may_read("pat@home.example.org", "student/ava/index.html")


def test_an_educator_reads_their_caseload_and_more_only_where_the_roster_grants_it() -> None:
    assert caseload(ROSTER["rivera"], STUDENTS) == ("ava",)
    assert caseload(ROSTER["chen"], STUDENTS) == ("ava", "ben")
    assert caseload(ROSTER["lead"], STUDENTS) == ("ava", "ben")  # access: school (North)
    assert caseload(ROSTER["boss"], STUDENTS) == ("ava", "ben", "cal")  # access: district
    rules = access(STUDENTS, ROSTER, OPTIONS)
    assert rules.may_read("RIVERA@school.example.org", "educator/ava/index.html")  # emails in any case
    assert not rules.may_read("rivera@school.example.org", "educator/ben/index.html")
    assert rules.may_read("rivera@school.example.org", "educator/curriculum/index.html")
    assert rules.may_read("rivera@school.example.org", "educator/_rivera/index.html")
    assert not rules.may_read("rivera@school.example.org", "educator/_chen/index.html")


def test_an_advisory_group_reads_its_members_advisory_views() -> None:
    rules = access(STUDENTS, ROSTER, OPTIONS)
    groups = [g for g in rules.groups if g.kind == "advisory"]
    assert sorted(g.students for g in groups) == [("ava", "ben"), ("cal",)]  # one name at two schools: two groups
    north = next(g for g in groups if "ava" in g.students)
    assert set(north.readers) == {"ava@students.example.org", "ben@students.example.org", "chen@school.example.org"}
    assert rules.may_read("ben@students.example.org", "advisory/ava/index.html")
    assert not rules.may_read("cal@students.example.org", "advisory/ava/index.html")
    assert not rules.may_read("rivera@school.example.org", "advisory/ava/index.html")  # not an advisor


def test_everyone_reads_the_public_pages_and_nobody_else_anything_more() -> None:
    rules = access(STUDENTS, ROSTER, OPTIONS)
    assert rules.may_read(None, "public/ava/index.html")
    assert rules.may_read(None, "assets/ilp.css")
    assert rules.may_read(None, "index.html")
    assert not rules.may_read(None, "student/ava/index.html")
    assert not rules.may_read("stranger@example.org", "family/ava/index.html")
    assert sorted(rules.as_json()["readers"]) == sorted(rules.readers)


def test_every_start_page_lists_only_the_students_its_readers_may_read(district: District, tmp_path: Path) -> None:
    district.write(
        "students/zed/profile.yml",
        "name: Zed Quill\ngraduation_year: 2032\nschool: Harbor View Middle School\neducators: [jchen]\n",
        dedent=False,
    )
    district.write("students/zed/goals.yml", "goals: []\n", dedent=False)
    out = tmp_path / "site"
    result = build(district.root, out, TODAY_DATE)
    assert not result.errors
    rivera = (out / "educator" / "_mrivera" / "index.html").read_text(encoding="utf-8")
    chen = (out / "educator" / "_jchen" / "index.html").read_text(encoding="utf-8")
    assert "Ava" in rivera
    assert "Zed" not in rivera
    assert "Zed" in chen
    assert not (out / "educator" / "index.html").exists()
    for folder in (out / "educator" / "_mrivera").rglob("*"):
        if folder.is_file():
            assert "zed" not in folder.read_text(encoding="utf-8", errors="replace").lower(), folder
    # Nothing about a student is written outside an audience folder.
    top = {p.name for p in out.iterdir()}
    assert top <= {"student", "educator", "family", "advisory", "public", "assets", "index.html", "404.html"}


def test_an_opaque_public_folder_comes_from_the_id_and_the_salt_only() -> None:
    from generator.pipeline import public_folder

    ava = STUDENTS[0]
    first = public_folder(ava, "salt-one")
    assert first.startswith("p-")
    assert "ava" not in first
    assert public_folder(ava, "salt-one") == first
    assert public_folder(ava, "salt-two") != first
    assert public_folder(student("ava", public_path="ava-portfolio"), "salt-one") == "ava-portfolio"


def test_ilp_init_writes_a_random_salt(tmp_path: Path) -> None:
    from generator.commands.init import init_district

    init_district(tmp_path / "a", "rhode-island", "A")
    init_district(tmp_path / "b", "rhode-island", "B")
    salts = [
        next(line for line in (tmp_path / d / "mkdocs.yml").read_text().splitlines() if "public_salt:" in line)
        for d in ("a", "b")
    ]
    assert salts[0] != salts[1]
    assert len(salts[0].split(":")[1].strip()) == 32
