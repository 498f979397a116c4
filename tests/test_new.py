"""`ilp new`: scaffolds that pass `ilp check`, and refusals."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import District


@pytest.mark.parametrize("grade", range(6, 13))
def test_scaffold_passes_check_for_every_grade(district: District, grade: int) -> None:
    result = district.run(
        "new",
        "sam-lee",
        "--name",
        "Sam Lee",
        "--grade",
        str(grade),
        "--root",
        str(district.root),
        "--today",
        "2026-11-25",
    )
    assert result.exit_code == 0, result.output
    folder = district.root / "students" / "sam-lee"
    check = district.check("students/sam-lee")
    assert check.exit_code == 0, check.output
    assert "0 errors" in check.stderr
    profile = yaml.safe_load((folder / "profile.yml").read_text(encoding="utf-8"))
    assert profile["name"] == "Sam Lee"
    assert profile["graduation_year"] == 2027 + 12 - grade
    if grade > 6:
        assert profile["joined"] == {"date": datetime.date(2026, 11, 25), "grade": grade}
    checklist = yaml.safe_load((folder / "checklist.yml").read_text(encoding="utf-8"))
    framework = yaml.safe_load((district.root / "curriculum/framework.yml").read_text(encoding="utf-8"))
    plan = next(p for p in framework["grades"] if p["grade"] == grade)
    assert [i["id"] for i in checklist["items"]] == [c["id"] for c in plan["checklist"]]
    for section in framework["sections"]:
        page = (folder / section["id"] / "index.md").read_text(encoding="utf-8")
        assert page.startswith("---\ntitle: ")
        for activity in plan["activities"]:
            if activity["section"] == section["id"]:
                assert f"activity: {activity['id']}" in page
    goals = yaml.safe_load((folder / "goals.yml").read_text(encoding="utf-8"))
    assert len(goals["goals"]) == 1


def test_yaml_files_point_editors_at_the_schemas(district: District) -> None:
    district.run("new", "sam", "--name", "Sam", "--grade", "8", "--root", str(district.root))
    folder = district.root / "students" / "sam"
    for file in sorted(folder.glob("*.yml")):
        first = file.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, first
        assert match.group(1) == f"../../generator/schemas/{file.stem}.schema.json"


def test_schema_line_resolves_in_this_repository() -> None:
    """In the repository itself, the scaffold's $schema path leads to the shipped schema."""
    repo = Path(__file__).resolve().parents[1]
    target = (repo / "students" / "x" / "../../generator/schemas/profile.schema.json").resolve()
    assert target.is_file()


def test_schema_base_url(district: District) -> None:
    config = (district.root / "mkdocs.yml").read_text(encoding="utf-8")
    district.write(
        "mkdocs.yml",
        config.replace("everyone: public", "everyone: public\n      schema_base: https://ilp.example.org/schemas"),
        dedent=False,
    )
    district.run("new", "sam", "--name", "Sam", "--grade", "6", "--root", str(district.root))
    first = (district.root / "students/sam/goals.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=https://ilp.example.org/schemas/goals.schema.json"


def test_refuses_to_overwrite(district: District) -> None:
    before = (district.root / "students/ava/profile.yml").read_bytes()
    result = district.run("new", "ava", "--name", "Other", "--grade", "7", "--root", str(district.root))
    assert result.exit_code == 1
    assert result.output == "Error: students/ava already exists; choose another id, or edit that folder\n"
    assert (district.root / "students/ava/profile.yml").read_bytes() == before


@pytest.mark.parametrize("bad_id", ["Ava", "ava smith", "../ava", "ava-", "ava--b", "ava_b", ""])
def test_refuses_invalid_id(district: District, bad_id: str) -> None:
    result = district.run("new", bad_id, "--name", "X", "--grade", "7", "--root", str(district.root))
    assert result.exit_code == 1
    assert "is not a valid student id; use lowercase letters, digits and hyphens" in result.output
    assert sorted(p.name for p in (district.root / "students").iterdir()) == ["ava", "roster.yml"]


def test_refuses_grade_out_of_range(district: District) -> None:
    result = district.run("new", "sam", "--name", "Sam", "--grade", "5", "--root", str(district.root))
    assert result.exit_code == 2
    assert "'--grade': 5 is not in the range 6<=x<=12" in result.output


def test_educators_and_school(district: District) -> None:
    result = district.run(
        "new",
        "sam",
        "--name",
        "Sam",
        "--grade",
        "9",
        "--school",
        "Harbor View High School",
        "--educator",
        "dadeyemi",
        "--educator",
        "aokeefe",
        "--root",
        str(district.root),
    )
    assert result.exit_code == 0, result.output
    profile = yaml.safe_load((district.root / "students/sam/profile.yml").read_text(encoding="utf-8"))
    assert profile["educators"] == ["dadeyemi", "aokeefe"]
    assert profile["school"] == "Harbor View High School"


def test_unknown_educator_is_refused(district: District) -> None:
    result = district.run(
        "new", "sam", "--name", "Sam", "--grade", "9", "--educator", "nobody", "--root", str(district.root)
    )
    assert result.exit_code == 1
    assert "--educator 'nobody' is not in the roster; use an id from students/roster.yml" in result.output
    assert not (district.root / "students/sam").exists()
