"""`ilp roster import`: rostering from a OneRoster 1.2 export, written by hand in tests/data/oneroster/.

The Harbor View export has two schools, seven staff members (two counselors of the roster, a new
counselor, a district administrator, an aide without email), five students in grades 6 to 12 and
their parents, guardians and relatives, linked both ways by agentSourcedIds.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.cli import main
from generator.deploy.access import access
from generator.pipeline import corpus
from tests.conftest import TODAY, TODAY_DATE, District

DATA = Path(__file__).parent / "data" / "oneroster"
BUNDLE = DATA / "harbor-view"
CASELOADS = DATA / "caseloads.csv"
SCAFFOLD_FILES = {"goals.yml", "courses.yml", "experiences.yml", "checklist.yml"}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run_import(root: Path, source: Path, *extra: str) -> Result:
    return invoke("roster", "import", str(source), "--root", str(root), "--today", TODAY, *extra)


def tree(root: Path) -> dict[str, bytes]:
    """Every file of the repository's students/ folder, by path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "students").rglob("*")) if p.is_file()
    }


def copy_bundle(tmp_path: Path) -> Path:
    target = tmp_path / "export"
    shutil.copytree(BUNDLE, target)
    return target


def edit(bundle: Path, name: str, old: str, new: str) -> None:
    path = bundle / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def zipped(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, file.name)
    return target


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """A new district, as `ilp init` makes it: an empty roster, no students."""
    folder = tmp_path / "new-district"
    assert invoke("init", str(folder), "--name", "Harbor View Public Schools").exit_code == 0
    return folder


def profile(root: Path, student: str) -> dict[str, object]:
    data = yaml.safe_load((root / "students" / student / "profile.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def assert_checks(root: Path) -> None:
    result = invoke("check", "--root", str(root), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert " 0 errors" in result.stderr


# --- creating ------------------------------------------------------------------------------------


def test_a_new_district_gets_its_educators_and_students(empty: Path) -> None:
    result = run_import(empty, BUNDLE, "--caseloads", str(CASELOADS))
    assert result.exit_code == 0, result.output
    roster = yaml.safe_load((empty / "students/roster.yml").read_text(encoding="utf-8"))["educators"]
    assert [e["id"] for e in roster] == ["mrivera", "jchen", "dadeyemi", "lmorales", "gokonkwo", "hlindqvist"]
    assert roster[4] == {
        "id": "gokonkwo",
        "name": "Grace Okonkwo",
        "role": "counselor",
        "school": "Harbor View High School",
        "emails": ["gokonkwo@harborview.example.org"],
    }
    assert roster[5] == {
        "id": "hlindqvist",
        "name": "Henrik Lindqvist",
        "role": "administrator",
        "emails": ["hlindqvist@harborview.example.org"],
    }
    assert sorted(p.name for p in (empty / "students").iterdir() if p.is_dir()) == [
        "ava-reyes",
        "mateo-alvarez",
        "noah-bennett",
        "rania-haddad",
        "zoe-kim",
    ]
    mateo = profile(empty, "mateo-alvarez")
    assert mateo["name"] == "Mateo Alvarez"
    assert mateo["preferred_name"] == "Teo"
    assert mateo["graduation_year"] == 2030
    assert mateo["school"] == "Harbor View High School"
    assert mateo["educators"] == ["dadeyemi", "lmorales"]
    assert mateo["emails"] == ["mateo.alvarez@students.harborview.example.org"]
    assert mateo["sis_id"] == "100311"
    assert mateo["family"] == [
        {"name": "Luis Alvarez", "relationship": "parent", "emails": ["luis.alvarez@example.org"]},
        {"name": "Carmen Ortiz", "relationship": "relative", "emails": ["carmen.ortiz@example.org"]},
    ]
    # Linked from the parent's side only (Noah's row names no agent), and a guardian without email.
    assert profile(empty, "noah-bennett")["family"] == [
        {"name": "Sarah Bennett", "relationship": "parent", "emails": ["sarah.bennett@example.org"]}
    ]
    assert profile(empty, "zoe-kim")["family"] == [{"name": "Daniel Park", "relationship": "guardian"}]
    assert profile(empty, "zoe-kim")["sis_id"] == "s-1005"  # no identifier: the sourcedId
    assert "users.csv:8: staff member Marie Baptiste has no email; not added to the roster" in result.output
    assert_checks(empty)


def test_a_new_students_folder_is_the_one_ilp_new_makes(empty: Path, tmp_path: Path) -> None:
    assert run_import(empty, BUNDLE).exit_code == 0
    other = tmp_path / "other"
    assert invoke("init", str(other)).exit_code == 0
    made = invoke(
        "new", "rania-haddad", "--name", "Rania Haddad", "--grade", "11",
        "--school", "Harbor View High School", "--root", str(other), "--today", TODAY,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    imported = {k: v for k, v in tree(empty).items() if k.startswith("students/rania-haddad/")}
    by_hand = {k: v for k, v in tree(other).items() if k.startswith("students/rania-haddad/")}
    assert set(imported) == set(by_hand)
    for rel in by_hand:
        if not rel.endswith("/profile.yml"):
            assert imported[rel] == by_hand[rel], rel
    # The profile is ilp new's, with the SIS's fields added below what ilp new wrote.
    lines = imported["students/rania-haddad/profile.yml"].decode().splitlines()
    kept = by_hand["students/rania-haddad/profile.yml"].decode().splitlines()
    assert [line for line in lines if line in kept] == kept
    assert (empty / "students/rania-haddad/artifacts").is_dir()


def test_importing_twice_changes_nothing_the_second_time(empty: Path) -> None:
    assert run_import(empty, BUNDLE, "--caseloads", str(CASELOADS)).exit_code == 0
    before = tree(empty)
    again = run_import(empty, BUNDLE, "--caseloads", str(CASELOADS))
    assert again.exit_code == 0, again.output
    assert "no changes, the repository already matches the SIS export" in again.stderr
    assert "Updated" not in again.stdout
    assert "Creating" not in again.stdout
    assert tree(empty) == before


def test_a_zip_and_a_folder_import_the_same(empty: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert invoke("init", str(other), "--name", "Harbor View Public Schools").exit_code == 0
    assert run_import(empty, BUNDLE).exit_code == 0
    result = run_import(other, zipped(BUNDLE, tmp_path / "bundle.zip"))
    assert result.exit_code == 0, result.output
    assert tree(other) == tree(empty)


def test_a_utf8_byte_order_mark_is_accepted(empty: Path, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    for file in bundle.iterdir():
        file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes().replace(b"\n", b"\r\n"))
    result = run_import(empty, bundle)
    assert result.exit_code == 0, result.output
    assert profile(empty, "ava-reyes")["sis_id"] == "100234"


def test_family_emails_are_where_the_access_rules_read_them(empty: Path) -> None:
    assert run_import(empty, BUNDLE, "--caseloads", str(CASELOADS)).exit_code == 0
    loaded = corpus(empty, TODAY_DATE, history=False, artifacts=False)
    assert loaded.district.roster is not None
    rules = access(loaded.students, loaded.district.roster, loaded.district.options)
    assert rules.may_read("luis.alvarez@example.org", "family/mateo-alvarez/index.html")
    assert rules.may_read("Carmen.Ortiz@example.org", "family/mateo-alvarez/index.html")
    assert not rules.may_read("luis.alvarez@example.org", "family/rania-haddad/index.html")
    assert rules.may_read("gokonkwo@harborview.example.org", "educator/rania-haddad/index.html")
    assert not rules.may_read("gokonkwo@harborview.example.org", "educator/ava-reyes/index.html")
    assert rules.may_read("mateo.alvarez@students.harborview.example.org", "student/mateo-alvarez/index.html")


# --- updating ------------------------------------------------------------------------------------

AVA_PROFILE = """\
# yaml-language-server: $schema=../../generator/schemas/profile.schema.json
# Ava's profile: she keeps it herself.
name: Ava Reyes   # as on her report card
pronouns: she/her
graduation_year: 2032  # grade 7 in 2026-2027
school: Harbor View Middle School
educators: [mrivera, jchen]

# What I like
about: >-
  I like drawing, my cat Miso and
  helping at the library.
family:
  - name: Elena Reyes
    relationship: mother
    emails: [elena.reyes@example.org]
    language: es
    visibility: family
  # my uncle helps with homework
  - name: Tomás Reyes
    relationship: uncle
career:
  clusters: [health-science]  # I want to be a nurse
sis_id: "100234"
"""


def test_an_existing_student_changes_only_in_the_fields_the_sis_owns(district: District, tmp_path: Path) -> None:
    district.write("students/ava/profile.yml", AVA_PROFILE, dedent=False)
    bundle = copy_bundle(tmp_path)
    edit(bundle, "users.csv", "Ava,Reyes,Lucía,100234", "Ava,Reyes-Ortega,Lucía,100234")
    edit(bundle, "users.csv", "p-2001,07,", "p-2001,08,")  # she repeats grade 7: now grade 8, class of 2031
    result = run_import(district.root, bundle)
    assert result.exit_code == 0, result.output
    expected = (
        AVA_PROFILE.replace("name: Ava Reyes   # as on", "name: Ava Reyes-Ortega   # as on")
        .replace("graduation_year: 2032  # grade 7 in 2026-2027", "graduation_year: 2031  # grade 8 in 2026-2027")
        .replace(
            "educators: [mrivera, jchen]\n",
            "educators: [mrivera, jchen]\nemails: [ava.reyes@students.harborview.example.org]\n"
            "advisory: Advisory 7B\n",  # her homeroom class in the SIS: the advisory group is the SIS's too
        )
        .replace(
            "family:\n  - name: Elena Reyes\n    relationship: mother\n    emails: [elena.reyes@example.org]\n"
            "    language: es\n    visibility: family\n  # my uncle helps with homework\n"
            "  - name: Tomás Reyes\n    relationship: uncle\n",
            "family:\n  - name: Elena Reyes\n    relationship: mother\n    emails: [elena.reyes@example.org]\n"
            "    language: es\n    visibility: family\n",
        )
    )
    assert (district.root / "students/ava/profile.yml").read_text(encoding="utf-8") == expected
    assert "Updated students/ava/profile.yml (name, graduation_year, emails, advisory, family)" in result.stdout
    assert not (district.root / "students/ava-reyes").exists()
    assert district.check().exit_code == 0
    before = tree(district.root)
    assert "no changes" in run_import(district.root, bundle).stderr
    assert tree(district.root) == before


def test_a_profile_that_gives_the_grade_gets_the_grade(district: District, tmp_path: Path) -> None:
    district.write(
        "students/ava/profile.yml",
        AVA_PROFILE.replace("graduation_year: 2032  # grade 7 in 2026-2027", "grade: 7"),
        dedent=False,
    )
    bundle = copy_bundle(tmp_path)
    edit(bundle, "users.csv", "p-2001,07,", "p-2001,08,")
    assert run_import(district.root, bundle).exit_code == 0
    data = profile(district.root, "ava")
    assert data["grade"] == 8
    assert "graduation_year" not in data


def test_a_profile_without_sis_id_is_matched_by_email_and_gets_one(district: District) -> None:
    text = (district.root / "students/ava/profile.yml").read_text(encoding="utf-8")
    district.write(
        "students/ava/profile.yml",
        text.replace("school:", "emails: [Ava.Reyes@students.harborview.example.org]\nschool:"),
        dedent=False,
    )
    assert run_import(district.root, BUNDLE).exit_code == 0
    assert profile(district.root, "ava")["sis_id"] == "100234"
    assert not (district.root / "students/ava-reyes").exists()


def test_the_roster_keeps_what_the_sis_does_not_own(district: District) -> None:
    roster = (district.root / "students/roster.yml").read_text(encoding="utf-8")
    roster = roster.replace(
        "    emails: [dadeyemi@harborview.example.org]\n",
        "    emails: [dadeyemi@harborview.example.org]  # counselor, grades 9-10\n    access: school\n",
    )
    roster += "school_year: 2026-2027\n"
    district.write("students/roster.yml", roster, dedent=False)
    result = run_import(district.root, BUNDLE)
    assert result.exit_code == 0, result.output
    after = (district.root / "students/roster.yml").read_text(encoding="utf-8")
    # Matched by email, nothing of theirs changes: 'Ms. Marisol Rivera' keeps her title, Ms. Chen (a
    # teacher in the SIS) stays the advisor, Mr. Adeyemi keeps his access and the comment.
    added = (
        "  - id: gokonkwo\n    name: Grace Okonkwo\n    role: counselor\n    school: Harbor View High School\n"
        "    emails: [gokonkwo@harborview.example.org]\n"
        "  - id: hlindqvist\n    name: Henrik Lindqvist\n    role: administrator\n"
        "    emails: [hlindqvist@harborview.example.org]\n"
    )
    assert after == roster.replace("school_year: 2026-2027\n", added + "school_year: 2026-2027\n")
    assert "students/roster.yml:16: educator 'tbrooks' is not a staff member of the SIS export; kept" in result.stdout
    assert district.check().exit_code == 0
    before = tree(district.root)
    assert "no changes" in run_import(district.root, BUNDLE).stderr
    assert tree(district.root) == before


def test_an_educator_whose_sis_record_changed_is_updated_in_place(district: District, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    edit(
        bundle,
        "roles.csv",
        "t-adeyemi,primary,counselor,2018-08-27,,org-hvhs",
        "t-adeyemi,primary,principal,2018-08-27,,org-hvms",
    )
    result = run_import(district.root, bundle)
    assert result.exit_code == 0, result.output
    roster = (district.root / "students/roster.yml").read_text(encoding="utf-8")
    assert (
        "  - id: dadeyemi\n    name: Mr. David Adeyemi\n    role: administrator\n"
        "    school: Harbor View Middle School\n    emails: [dadeyemi@harborview.example.org]\n"
    ) in roster


def test_caseloads_set_the_educators(district: District) -> None:
    district.write("students/ava/profile.yml", AVA_PROFILE.replace("[mrivera, jchen]", "[tbrooks]"), dedent=False)
    assert run_import(district.root, BUNDLE, "--caseloads", str(CASELOADS)).exit_code == 0
    assert profile(district.root, "ava")["educators"] == ["mrivera", "jchen"]
    assert profile(district.root, "rania-haddad")["educators"] == ["gokonkwo"]


# --- what the SIS no longer lists ----------------------------------------------------------------


def test_a_student_missing_from_the_sis_is_reported_and_kept(district: District) -> None:
    district.write("students/ava/profile.yml", AVA_PROFILE.replace('"100234"', '"099999"'), dedent=False)
    before = (district.root / "students/ava/profile.yml").read_bytes()
    result = run_import(district.root, BUNDLE)
    assert result.exit_code == 0, result.output
    assert (
        "students/ava/profile.yml:24: sis_id '099999' is not in the SIS export (or is marked tobedeleted); "
        "the folder is kept: archive it by hand if the student has left"
    ) in result.stdout
    assert (district.root / "students/ava/profile.yml").read_bytes() == before


def test_a_row_marked_tobedeleted_counts_as_absent(empty: Path, tmp_path: Path) -> None:
    assert run_import(empty, BUNDLE).exit_code == 0
    before = tree(empty)
    bundle = copy_bundle(tmp_path)
    edit(bundle, "users.csv", "s-1003,,,true,", "s-1003,tobedeleted,2027-01-05T10:00:00Z,true,")
    result = run_import(empty, bundle)
    assert result.exit_code == 0, result.output
    assert "students/rania-haddad/profile.yml:" in result.stdout
    assert "sis_id '100402' is not in the SIS export (or is marked tobedeleted)" in result.stdout
    assert tree(empty) == before


# --- dry run -------------------------------------------------------------------------------------


def test_dry_run_prints_a_diff_and_writes_nothing(district: District) -> None:
    district.write("students/ava/profile.yml", AVA_PROFILE, dedent=False)
    before = tree(district.root)
    result = run_import(district.root, BUNDLE, "--dry-run")
    assert result.exit_code == 0, result.output
    assert tree(district.root) == before
    out = result.stdout
    assert "--- a/students/roster.yml\n+++ b/students/roster.yml\n" in out
    assert "+  - id: gokonkwo\n" in out
    assert "--- a/students/ava/profile.yml\n+++ b/students/ava/profile.yml\n" in out
    assert "+emails: [ava.reyes@students.harborview.example.org]\n" in out
    assert "-  - name: Tomás Reyes\n" in out
    assert "Would create students/mateo-alvarez/ (Mateo Alvarez, grade 9, Harbor View High School)" in out
    assert "nothing was written" in result.stderr


# --- bad rows ------------------------------------------------------------------------------------

BAD_ROWS = [
    pytest.param(
        "users.csv",
        "agentSourcedIds,grades",
        "agentSourceIds,grades",
        "users.csv:1: the header has no column 'agentSourcedIds'; export the file again with every OneRoster 1.2 column",
        id="missing-column",
    ),
    pytest.param(
        "roles.csv",
        "t-chen,primary,teacher",
        "t-chen,primary,Teacher",
        "roles.csv:3: unknown role 'Teacher' (did you mean 'teacher'?) (expected: aide, counselor,",
        id="unknown-role",
    ),
    pytest.param(
        "roles.csv",
        "r-t-chen,",
        "r-t-rivera,",
        "roles.csv:3: sourcedId 'r-t-rivera' appears twice (first on line 2); each row needs its own sourcedId",
        id="duplicate-sourcedid",
    ),
    pytest.param(
        "users.csv",
        ",100402,",
        ",100311,",
        "users.csv:11: identifier '100311' is also the identifier of student 's-1002' (line 10); "
        "each student needs their own identifier",
        id="duplicate-identifier",
    ),
    pytest.param(
        "roles.csv",
        "r-s-1005,,,s-1005,",
        "r-s-1005,,,s-1095,",
        "roles.csv:13: userSourcedId 's-1095' is not a sourcedId in users.csv; add that row to users.csv or correct the id",
        id="role-unknown-user",
    ),
    pytest.param(
        "roles.csv",
        "2026-08-17,,org-hvhs",
        "2026-08-17,,org-hves",
        "roles.csv:6: orgSourcedId 'org-hves' is not a sourcedId in orgs.csv",
        id="role-unknown-org",
    ),
    pytest.param(
        "enrollments.csv",
        "e-chem-1005,,,k-chem-4,",
        "e-chem-1005,,,k-chem-5,",
        "enrollments.csv:10: classSourcedId 'k-chem-5' is not a sourcedId in classes.csv",
        id="enrollment-unknown-class",
    ),
    pytest.param(
        "classes.csv",
        "09,c-eng9,ENG9-02",
        "09,c-eng10,ENG9-02",
        "classes.csv:4: courseSourcedId 'c-eng10' is not a sourcedId in courses.csv",
        id="class-unknown-course",
    ),
    pytest.param(
        "classes.csv",
        '"as-2027-s1,as-2027-s2"',
        '"as-2026-s1,as-2027-s2"',
        "classes.csv:4: termSourcedIds 'as-2026-s1' is not a sourcedId in academicSessions.csv",
        id="class-unknown-session",
    ),
    pytest.param(
        "users.csv",
        ",,,p-2004,11,",
        ",,,p-2094,11,",
        "users.csv:11: agentSourcedIds 'p-2094' is not a sourcedId in users.csv",
        id="agent-unknown-user",
    ),
    pytest.param(
        "users.csv",
        ",,,p-2004,11,",
        ",,,p-2004,Grade 11,",
        "users.csv:11: unknown grade 'Grade 11'; OneRoster grades are CEDS codes such as 06, 09, 12, KG",
        id="unknown-grade",
    ),
    pytest.param(
        "users.csv",
        "zoe.kim@students.harborview.example.org",
        "zoé.kim@students.harborview.example.org",
        "users.csv:13: email 'zoé.kim@students.harborview.example.org' is not a plain ASCII address",
        id="bad-email",
    ),
    pytest.param(
        "manifest.csv",
        "file.users,bulk",
        "file.users,delta",
        "manifest.csv:17: file.users is 'delta' (only what changed); ilp roster import needs the whole roster: "
        "export again in bulk mode",
        id="delta-export",
    ),
    pytest.param(
        "manifest.csv",
        "oneroster.version,1.2",
        "oneroster.version,1.1",
        "manifest.csv:3: oneroster.version is '1.1'; ilp reads OneRoster 1.2 exports",
        id="oneroster-1.1",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), BAD_ROWS)
def test_a_bad_row_is_reported_at_its_line_and_nothing_is_written(
    district: District, tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    bundle = copy_bundle(tmp_path)
    edit(bundle, file, old, new)
    before = tree(district.root)
    result = run_import(district.root, bundle)
    assert result.exit_code == 1
    assert f"{bundle}/{message}" in result.output
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert tree(district.root) == before


def test_inside_a_zip_a_bad_row_names_the_zip_and_the_file(district: District, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    edit(
        bundle,
        "users.csv",
        "t-lindqvist,,,true,hlindqvist,{LDAP:hlindqvist},Henrik,",
        "t-lindqvist,,,true,hlindqvist,{LDAP:hlindqvist},,",
    )
    archive = zipped(bundle, tmp_path / "bundle.zip")
    result = run_import(district.root, archive)
    assert result.exit_code == 1
    assert f"{archive}/users.csv:7: givenName is empty; every row of users.csv needs one" in result.output


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "nobody@harborview.example.org,100234\n",
            "caseloads.csv:2: no educator has the email 'nobody@harborview.example.org'",
        ),
        (
            "mrivera@harborview.example.org,100999\n",
            "caseloads.csv:2: no student in users.csv has the identifier '100999'",
        ),
    ],
)
def test_a_caseload_that_names_no_one_is_reported(district: District, tmp_path: Path, rows: str, message: str) -> None:
    caseloads = tmp_path / "caseloads.csv"
    caseloads.write_text("Staff Email,Student Identifier\n" + rows, encoding="utf-8")
    before = tree(district.root)
    result = run_import(district.root, BUNDLE, "--caseloads", str(caseloads))
    assert result.exit_code == 1
    assert f"{tmp_path}/{message}" in result.output
    assert tree(district.root) == before


def test_every_bad_row_is_reported_in_one_run(district: District, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    edit(bundle, "roles.csv", "t-chen,primary,teacher", "t-chen,primary,Teacher")
    edit(bundle, "enrollments.csv", "e-chem-1005,,,k-chem-4,", "e-chem-1005,,,k-chem-5,")
    result = run_import(district.root, bundle)
    assert result.exit_code == 1
    assert "2 problems; nothing was written" in result.output
    assert f"{bundle}/roles.csv:3:" in result.output
    assert f"{bundle}/enrollments.csv:10:" in result.output


# --- files that are not what they should be ------------------------------------------------------


def test_a_file_that_is_not_utf8(district: District, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    users = bundle / "users.csv"
    users.write_bytes(users.read_text(encoding="utf-8").encode("latin-1"))
    result = run_import(district.root, bundle)
    assert result.exit_code == 1
    assert f"{bundle}/users.csv:5: the file is not UTF-8 text (byte 0xED); export it again as UTF-8" in result.output


def test_a_file_separated_by_semicolons(district: District, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    orgs = bundle / "orgs.csv"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    result = run_import(district.root, bundle)
    assert result.exit_code == 1
    assert f"{bundle}/orgs.csv:1: the values are separated by ';'; OneRoster CSV files use commas" in result.output


def test_an_empty_file(district: District, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    (bundle / "roles.csv").write_bytes(b"")
    result = run_import(district.root, bundle)
    assert result.exit_code == 1
    assert f"{bundle}/roles.csv:1: the file is empty; it needs at least its header line" in result.output


def test_a_zip_with_a_path_that_leaves_it(district: District, tmp_path: Path) -> None:
    archive = zipped(BUNDLE, tmp_path / "bundle.zip")
    with zipfile.ZipFile(archive, "a") as handle:
        handle.writestr("../../students/roster.yml", "educators: []\n")
    before = tree(district.root)
    result = run_import(district.root, archive)
    assert result.exit_code == 1
    assert "holds an entry named '../../students/roster.yml', which leaves the bundle" in result.output
    assert tree(district.root) == before


def test_a_zip_bomb_is_refused(district: District, tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as bomb:
        for file in sorted(BUNDLE.iterdir()):
            if file.name == "users.csv":
                with bomb.open("users.csv", "w") as out:
                    out.write(file.read_bytes())
                    chunk = b"0" * (1024 * 1024)
                    for _ in range(40):
                        out.write(chunk)
            else:
                bomb.write(file, file.name)
    result = run_import(district.root, tmp_path / "bomb.zip")
    assert result.exit_code == 1
    assert f"{tmp_path / 'bomb.zip'}/users.csv:1: the file unpacks to more than 32 MB" in result.output


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("not a zip\n"), "not a zip file"),
        (lambda p: None, "no such zip file or folder"),
    ],
)
def test_what_is_not_an_export(
    district: District, tmp_path: Path, make: Callable[[Path], object], message: str
) -> None:
    target = tmp_path / "export.zip"
    make(target)
    result = run_import(district.root, target)
    assert result.exit_code == 1
    assert f"{target}:1: {message}" in result.output
    assert "Traceback" not in result.output


def test_files_zipped_inside_a_folder(district: District, tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for file in sorted(BUNDLE.iterdir()):
            handle.write(file, f"export-2026-11-25/{file.name}")
    result = run_import(district.root, archive)
    assert result.exit_code == 1
    assert "the files are inside the folder 'export-2026-11-25/' of the zip; zip the files themselves" in result.output


def test_a_quoted_field_with_a_line_break_keeps_the_lines_right(district: District, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    edit(bundle, "orgs.csv", "Harbor View Middle School,school", '"Harbor View\nMiddle School",school')
    edit(bundle, "orgs.csv", "org-hvhs,,,Harbor View High School,school", "org-hvhs,,,Harbor View High School,college")
    result = run_import(district.root, bundle)
    assert result.exit_code == 1
    assert f"{bundle}/orgs.csv:5: unknown type 'college'" in result.output


def test_new_ids_are_slugs_and_unique(empty: Path, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    edit(bundle, "users.csv", "true,gokonkwo,", "true,Grace.Okonkwo,")
    edit(bundle, "users.csv", "true,hlindqvist,", "true,grace.okonkwo,")
    edit(bundle, "users.csv", "true,noah.bennett,", "true,20431,")
    edit(bundle, "users.csv", "true,zoe.kim,", "true,,")
    edit(bundle, "users.csv", "zoe.kim@students", "noah-bennett@students")
    assert run_import(empty, bundle).exit_code == 0
    roster = yaml.safe_load((empty / "students/roster.yml").read_text(encoding="utf-8"))["educators"]
    assert [e["id"] for e in roster][-2:] == ["grace-okonkwo", "grace-okonkwo-2"]
    folders = sorted(p.name for p in (empty / "students").iterdir() if p.is_dir())
    assert folders == ["ava-reyes", "mateo-alvarez", "noah-bennett", "rania-haddad", "student-20431"]
    assert_checks(empty)


def test_the_guide_exists() -> None:
    guide = (Path(__file__).resolve().parents[1] / "content" / "rostering.md").read_text(encoding="utf-8")
    assert guide.startswith("---\ntitle: ")
    for needed in ("ilp roster import", "--dry-run", "--caseloads", "sis_id"):
        assert needed in guide
