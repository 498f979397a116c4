"""`ilp init`: a new district repository that passes `ilp check` and `ilp build` at once, in git from the start."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import REPO, TODAY


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize(("framework", "title"), [("rhode-island", "Rhode Island"), ("kentucky", "Kentucky")])
def test_init_makes_a_district_that_checks_and_builds(tmp_path: Path, framework: str, title: str) -> None:
    folder = tmp_path / "district"
    code, output = run("init", str(folder), "--framework", framework, "--name", "Maple Valley Schools")
    assert code == 0, output
    assert title in (folder / "curriculum" / "framework.yml").read_text(encoding="utf-8")
    assert 'site_name: "Maple Valley Schools ILP"' in (folder / "mkdocs.yml").read_text(encoding="utf-8")
    for rel in (
        ".gitignore",
        ".pre-commit-config.yaml",
        "students/roster.yml",
        "content/index.md",
        "curriculum/reference/riasec.yml",
        ".schemas/goals.schema.json",
    ):
        assert (folder / rel).is_file(), rel
    log = subprocess.run(["git", "log", "--format=%s"], cwd=folder, capture_output=True, text=True, check=True)
    assert log.stdout.splitlines() == ["Start the ILP repository of Maple Valley Schools"]
    status = subprocess.run(["git", "status", "--porcelain"], cwd=folder, capture_output=True, text=True, check=True)
    assert status.stdout == ""
    code, output = run("check", "--root", str(folder), "--today", TODAY)
    assert code == 0, output
    code, output = run("new", "sam-lee", "--name", "Sam Lee", "--grade", "7", "--root", str(folder), "--today", TODAY)
    assert code == 0, output
    code, output = run("check", "--root", str(folder), "--today", TODAY)
    assert code == 0, output
    code, output = run("build", "--root", str(folder), "--today", TODAY)
    assert code == 0, output
    assert (folder / "site" / "student" / "sam-lee" / "index.html").is_file()
    assert "Maple Valley Schools" in (folder / "site" / "public" / "index.html").read_text(encoding="utf-8")
    goals = (folder / "students" / "sam-lee" / "goals.yml").read_text(encoding="utf-8")
    assert goals.startswith("# yaml-language-server: $schema=../../.schemas/goals.schema.json")


def test_init_refuses_a_folder_that_holds_something(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine\n")
    code, output = run("init", str(tmp_path / "used"))
    assert code == 1
    assert "already exists and is not an empty folder" in output
    assert sorted(p.name for p in (tmp_path / "used").iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("name", ["", "x" * 201, "<script>"])
def test_init_refuses_a_name_it_cannot_use(tmp_path: Path, name: str) -> None:
    code, output = run("init", str(tmp_path / "d"), "--name", name)
    assert code == 1
    assert "--name must be a district name" in output
    assert not (tmp_path / "d").exists()


def test_every_package_of_the_generator_is_in_the_wheel() -> None:
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {p.parent.relative_to(REPO).as_posix().replace("/", ".") for p in (REPO / "generator").rglob("__init__.py")}
    assert found <= listed
    assert listed - found == {"generator.data"}
