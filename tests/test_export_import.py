"""`ilp export`, `ilp import` and the graduation hand-over, on the sample district with its history.

The round trip is real: export from the Rhode Island sample, import into a fresh `ilp init` district
that follows the Kentucky framework, check and build it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.export.clr import validate_clr
from generator.export.resume import validate_resume
from tests.conftest import TODAY

OTHER_NAMES = ("Leo Martinez", "leo-martinez", "Amara", "amara-osei", "Emily Tran", "emily-tran", "Priya")


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout


def _ilp(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export") / "district"
    _ilp("demo", str(root))
    for sid in ("leo-martinez", "sofia-ramirez"):
        with (root / "students" / sid / "experiences.yml").open("a", encoding="utf-8") as handle:
            handle.write("# reviewed\n")
    _git(root, "add", "students")
    _git(
        root,
        "-c",
        "user.name=Ms. Rivera",
        "-c",
        "user.email=mrivera@harborview.example.org",
        "commit",
        "-qm",
        "Experiences of Leo Martinez and Sofía Ramírez reviewed",
    )
    return root


@pytest.fixture(scope="module")
def exported(district: Path) -> Iterator[Path]:
    out = district.parent / "sofia-export"
    _ilp("export", "sofia-ramirez", "--out", str(out), "--root", str(district), "--today", TODAY)
    return out


def test_the_export_holds_its_parts(exported: Path) -> None:
    names = sorted(p.name for p in exported.iterdir())
    assert names == ["README.md", "clr.json", "export.json", "history", "resume.json", "site"]
    manifest = json.loads((exported / "export.json").read_text(encoding="utf-8"))
    assert manifest["student"] == "sofia-ramirez"
    assert manifest["framework"] == "rhode-island"
    assert validate_clr(json.loads((exported / "clr.json").read_text(encoding="utf-8"))) == []
    assert validate_resume(json.loads((exported / "resume.json").read_text(encoding="utf-8"))) == []
    assert (exported / "site" / "index.html").is_file()
    assert "ilp import" in (exported / "README.md").read_text(encoding="utf-8")


def test_the_history_is_the_students_folder_with_every_commit(district: Path, exported: Path) -> None:
    history = exported / "history"
    before = _git(district, "log", "--format=%an|%aI", "--", "students/sofia-ramirez/").splitlines()
    after = _git(history, "log", "--format=%an|%aI").splitlines()
    assert after == before
    assert len(after) > 5
    for sha in _git(history, "rev-list", "--all").split():
        paths = _git(history, "ls-tree", "-r", "--name-only", sha).split("\n")
        assert "profile.yml" in paths
        assert not any(p.startswith("students/") or p == "sharing.yml" for p in paths), sha
    assert "Experiences of another student and Sofía Ramírez reviewed" in _git(history, "log", "--format=%s")


def test_nothing_of_another_student_or_the_old_districts_sign_in_leaves(exported: Path) -> None:
    history = exported / "history"
    everything = _git(history, "log", "--all", "-p", "--format=%an %ae %cn %ce %B")
    blobs = _git(history, "log", "--all", "-p", "--format=")
    for path in exported.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            everything += path.read_text(encoding="utf-8", errors="replace")
    for name in OTHER_NAMES:
        assert name not in everything, name
    for secret in ("sofia-ramirez@students.harborview.example.org", "gabriela.ramirez@example.org", "rosa.mejia@"):
        assert secret not in blobs, secret
    assert "Gabriela Ramírez" in blobs  # the family member's name stays: the student's own view shows it


def test_round_trip_into_a_district_of_another_framework(exported: Path, tmp_path: Path) -> None:
    target = tmp_path / "kentucky"
    _ilp("init", str(target), "--framework", "kentucky", "--name", "Bluegrass Schools")
    _ilp("import", str(exported), "--id", "sofia-r", "--root", str(target), "--today", TODAY)
    original = _git(exported / "history", "log", "--follow", "--format=%an|%aI|%s", "--", "goals.yml").splitlines()
    moved = _git(target, "log", "--follow", "--format=%an|%aI|%s", "--", "students/sofia-r/goals.yml").splitlines()
    assert moved == original
    assert moved
    profile = (target / "students" / "sofia-r" / "profile.yml").read_text(encoding="utf-8")
    assert "framework: rhode-island" in profile
    assert "dadeyemi" not in profile
    check = CliRunner().invoke(main, ["check", "--root", str(target), "--today", TODAY])
    assert check.exit_code == 0, check.output
    assert "is from the rhode-island framework this record came from" in check.output
    _ilp("build", "--root", str(target), "--today", TODAY)
    home = (target / "site" / "student" / "sofia-r" / "index.html").read_text(encoding="utf-8")
    assert "Earlier plan" in home
    record = (target / "site" / "student" / "sofia-r" / "change-record" / "index.html").read_text("utf-8")
    assert "Record goal review" in record


def test_import_refusals(exported: Path, tmp_path: Path) -> None:
    target = tmp_path / "district"
    _ilp("init", str(target))
    assert "not an ILP export" in _ilp("import", str(tmp_path), "--root", str(target), code=1)
    assert "not a valid student id" in _ilp("import", str(exported), "--id", "Bad Id", "--root", str(target), code=1)
    _ilp("import", str(exported), "--root", str(target), "--today", TODAY)
    assert "already exists" in _ilp("import", str(exported), "--root", str(target), code=1)


def test_export_refusals(district: Path, exported: Path, tmp_path: Path) -> None:
    assert "no student 'nobody'" in _ilp(
        "export", "nobody", "--out", str(tmp_path / "x"), "--root", str(district), code=1
    )
    assert "not empty" in _ilp("export", "sofia-ramirez", "--out", str(exported), "--root", str(district), code=1)
    page = district / "students" / "leo-martinez" / "profile.yml"
    page.write_text(page.read_text(encoding="utf-8") + "# an edit\n", encoding="utf-8")
    try:
        out = _ilp("export", "leo-martinez", "--out", str(tmp_path / "y"), "--root", str(district), code=1)
        assert "not committed" in out
        assert not (tmp_path / "y").exists()
    finally:
        _git(district, "checkout", "--", "students/leo-martinez/profile.yml")


def test_graduation_hands_over_and_stops_publishing(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "emily"
    _ilp("export", "emily-tran", "--graduate", "--out", str(out), "--root", str(district), "--today", TODAY)
    summary = (out / "site" / "my-years.html").read_text(encoding="utf-8")
    assert "grade 12" in summary
    assert "My years" in summary
    assert not (district / "students" / "emily-tran").exists()
    assert (district / "graduates" / "emily-tran" / "profile.yml").is_file()
    _git(district, "commit", "-qm", "Emily graduated")
    follow = _git(district, "log", "--follow", "--format=%s", "--", "graduates/emily-tran/goals.yml")
    assert len(follow.splitlines()) > 3
    _ilp("build", "--root", str(district), "--today", TODAY, "--out", str(tmp_path / "site"))
    for page in (tmp_path / "site").rglob("*"):
        if page.is_file():
            assert "Emily Tran" not in page.read_text(encoding="utf-8", errors="replace"), page


def test_export_and_import_with_relative_paths(exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a counselor types them: paths relative to where the command runs."""
    monkeypatch.chdir(tmp_path)
    _ilp("init", "here")
    (tmp_path / "copy").symlink_to(exported)
    _ilp("import", "copy", "--id", "sofia-r", "--root", "here", "--today", TODAY)
    assert (tmp_path / "here" / "students" / "sofia-r" / "goals.yml").is_file()
    _ilp("export", "sofia-r", "--out", "again", "--root", "here", "--today", TODAY)
    assert (tmp_path / "again" / "history" / "goals.yml").is_file()
