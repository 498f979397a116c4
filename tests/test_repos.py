"""One repository per student: `ilp split`, `ilp demo --per-student-repos`, `ilp new --repo`, the history read
from each student's repository, and the forge permissions. Real git repositories in tmp_path, real builds."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import TODAY, TODAY_DATE

ALLOW = ["-c", "protocol.file.allow=always"]


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *ALLOW, *args], cwd=folder, capture_output=True, text=True, check=True).stdout


def _ilp(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _text(html: str) -> list[str]:
    """The visible lines of a page, without commit ids (they differ between the layouts by design)."""
    lines = [line.strip() for line in re.sub(r"<[^>]+>", "\n", html).splitlines()]
    return [re.sub(r"\b[0-9a-f]{7,40}\b", "SHA", line) for line in lines if line]


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The sample district twice: as one repository, and split (with a commit naming two students)."""
    base = tmp_path_factory.mktemp("layouts")
    single = base / "single"
    _ilp("demo", str(single))
    # A counselor's commit that touches two students and names both.
    for sid in ("leo-martinez", "sofia-ramirez"):
        with (single / "students" / sid / "experiences.yml").open("a", encoding="utf-8") as handle:
            handle.write("# reviewed\n")
    _git(single, "add", "students")
    _git(
        single,
        "-c",
        "user.name=Ms. Marisol Rivera",
        "-c",
        "user.email=mrivera@harborview.example.org",
        "commit",
        "-q",
        "-m",
        "Reviewed experiences with Leo Martinez and Sofía Ramírez (leo-martinez, sofia-ramirez)",
    )
    split = base / "split"
    _ilp("split", "--root", str(single), "--out", str(split))
    return single, split


def test_split_keeps_every_commit_of_each_student_with_its_author_date_and_message(
    layouts: tuple[Path, Path],
) -> None:
    single, split = layouts
    students = sorted(p.name for p in (single / "students").iterdir() if p.is_dir())
    assert len(students) == 10
    for sid in students:
        before = _git(single, "log", "--format=%an|%ae|%aI", "--", f"students/{sid}/").splitlines()
        after = _git(split / "students" / f"{sid}.git", "log", "--format=%an|%ae|%aI").splitlines()
        assert after == before, sid
    messages = _git(split / "students" / "leo-martinez.git", "log", "--format=%B")
    assert "Reviewed experiences with Leo Martinez and another student (leo-martinez, another student)" in messages
    assert "Sofía" not in messages
    assert "sofia-ramirez" not in messages
    theirs = _git(split / "students" / "sofia-ramirez.git", "log", "--format=%B")
    assert "Leo" not in theirs
    assert "leo-martinez" not in theirs


def test_after_the_split_no_commit_of_the_district_holds_a_students_files(layouts: tuple[Path, Path]) -> None:
    _, split = layouts
    district = split / "district.git"
    for sha in _git(district, "rev-list", "--all").split():
        for line in _git(district, "ls-tree", "-r", sha).splitlines():
            mode, kind, _, path = line.split(maxsplit=3)
            if path.startswith(("students/", "graduates/")) and path != "students/roster.yml":
                assert (mode, kind) == ("160000", "commit"), (sha, path)  # a submodule: a reference, no files
    modules = (split / "district" / ".gitmodules").read_text(encoding="utf-8")
    assert "url = ../students/sofia-ramirez.git" in modules


def _page(folder: Path) -> Path:
    """A built page, with directory URLs (`x/index.html`) or, as `ilp demo` makes them, file URLs (`x.html`)."""
    return folder / "index.html" if (folder / "index.html").is_file() else folder.with_suffix(".html")


def test_both_layouts_build_the_same_sites_and_change_records(layouts: tuple[Path, Path]) -> None:
    single, split = layouts
    checkout = split / "district"
    for root in (single, checkout):
        _ilp("build", "--root", str(root), "--today", TODAY)
    pages = sorted(p.relative_to(single / "site") for p in (single / "site").rglob("*.html"))
    assert pages == sorted(p.relative_to(checkout / "site") for p in (checkout / "site").rglob("*.html"))
    for rel in pages:
        if "change-record" in rel.parts or rel.name == "change-record.html" or "goals" in rel.as_posix():
            a = _text((single / "site" / rel).read_text(encoding="utf-8"))
            b = _text((checkout / "site" / rel).read_text(encoding="utf-8"))
            planted = [line for line in b if line.startswith("Reviewed experiences")]  # reworded by design
            assert [line for line in a if not line.startswith("Reviewed experiences")] == [
                line for line in b if line not in planted
            ], rel
            assert all("another student" in line for line in planted), rel
    record = _page(checkout / "site" / "student" / "leo-martinez" / "change-record").read_text("utf-8")
    assert "Ms. Marisol Rivera" in record


def test_check_serve_and_the_deck_work_in_the_split_layout(layouts: tuple[Path, Path], tmp_path: Path) -> None:
    _, split = layouts
    district = split / "district"
    result = CliRunner().invoke(main, ["check", "--root", str(district), "--today", TODAY])
    assert result.exit_code == 0, result.output
    _ilp("build", "--root", str(district), "--today", TODAY, "--out", str(tmp_path / "site"))
    deck = _page(tmp_path / "site" / "student" / "emily-tran" / "conference").read_text("utf-8")
    assert 'class="slide' in deck
    from generator.pipeline import corpus

    loaded = corpus(district, TODAY_DATE, only={"emily-tran"})  # what ilp serve reads for one student
    record = loaded.records["emily-tran"]
    assert record.available
    assert len(record.entries) == int(_git(split / "students" / "emily-tran.git", "rev-list", "--count", "HEAD"))


def test_a_commit_in_a_students_own_repository_reaches_their_change_record(
    layouts: tuple[Path, Path], tmp_path: Path
) -> None:
    _, split = layouts
    district = tmp_path / "district"
    _git(tmp_path, "clone", "-q", "--recurse-submodules", str(split / "district.git"), str(district))
    folder = district / "students" / "amara-osei"
    (folder / "self-awareness" / "index.md").write_text(
        "---\ntitle: Who I am\n---\n# Who I am\n\nI wrote this in my own repository.\n", encoding="utf-8"
    )
    _git(folder, "add", "-A")
    _git(
        folder,
        "-c",
        "user.name=Amara",
        "-c",
        "user.email=amara-osei@students.harborview.example.org",
        "commit",
        "-qm",
        "Rewrite who I am",
    )
    _ilp("build", "--root", str(district), "--today", TODAY, "--out", str(tmp_path / "site"))
    record = _page(tmp_path / "site" / "student" / "amara-osei" / "change-record").read_text("utf-8")
    assert "Rewrite who I am" in record
    other = _page(tmp_path / "site" / "student" / "leo-martinez" / "change-record").read_text("utf-8")
    assert "Rewrite who I am" not in other


def test_new_with_repo_adds_a_submodule_that_checks_and_builds(tmp_path: Path) -> None:
    district = tmp_path / "district"
    _ilp("init", str(district))
    bare = tmp_path / "forge" / "kai-lee.git"
    bare.parent.mkdir()
    _git(tmp_path, "init", "-q", "--bare", str(bare))
    _ilp("new", "kai-lee", "--name", "Kai Lee", "--grade", "7", "--repo", str(bare), "--root", str(district))
    assert (district / "students" / "kai-lee" / ".git").is_file()
    assert "kai-lee" in (district / ".gitmodules").read_text(encoding="utf-8")
    assert "Start the ILP of kai-lee" in _git(bare, "log", "--format=%s", "main")
    _ilp("build", "--root", str(district), "--today", TODAY)
    record = _page(district / "site" / "student" / "kai-lee" / "change-record").read_text("utf-8")
    assert "Start the ILP of kai-lee" in record
    again = CliRunner().invoke(
        main, ["new", "kai-2", "--name", "K", "--grade", "7", "--repo", str(bare), "--root", str(district)]
    )
    assert again.exit_code == 1
    assert "already has commits" in again.output
    missing = CliRunner().invoke(
        main,
        [
            "new",
            "kai-3",
            "--name",
            "K",
            "--grade",
            "7",
            "--repo",
            str(tmp_path / "nowhere.git"),
            "--root",
            str(district),
        ],
    )
    assert missing.exit_code == 1
    assert "cannot reach" in missing.output
    assert not (district / "students" / "kai-3").exists()


def test_demo_with_per_student_repositories(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    _ilp("demo", "--per-student-repos", str(out))
    assert sorted(p.name for p in (out / "students").iterdir())[:2] == ["aaliyah-washington.git", "amara-osei.git"]
    assert (out / "district.git").is_dir()
    assert (out / "district" / "students" / "emily-tran" / ".git").is_file()
    assert _git(out / "students" / "emily-tran.git", "rev-list", "--count", "HEAD").strip() != "0"
    refused = CliRunner().invoke(main, ["demo", "--per-student-repos", str(out)])
    assert refused.exit_code == 1
    assert "not empty" in refused.output


def test_split_refusals(layouts: tuple[Path, Path], tmp_path: Path) -> None:
    _, split = layouts
    again = CliRunner().invoke(main, ["split", "--root", str(split / "district"), "--out", str(tmp_path / "x")])
    assert again.exit_code == 1
    assert "already have their own repositories" in again.output
    bad = CliRunner().invoke(
        main,
        [
            "split",
            "--root",
            str(split / "district"),
            "--out",
            str(tmp_path / "y"),
            "--url",
            "git@forge:district/ilp.git",
        ],
    )
    assert bad.exit_code == 1
    assert "{id}" in bad.output


def test_forge_permissions_follow_the_access_rules(layouts: tuple[Path, Path]) -> None:
    _, split = layouts
    text = _ilp("deploy", "forge", "--root", str(split / "district"), "--today", TODAY)
    rows = list(csv.DictReader(io.StringIO(text)))
    mine = [r for r in rows if r["repository"] == "students/sofia-ramirez"]
    writers = {r["person"] for r in mine if r["permission"] == "write"}
    assert writers == {"sofia-ramirez@students.harborview.example.org"}
    readers = {r["person"] for r in mine if r["permission"] == "read"}
    assert "dadeyemi@harborview.example.org" in readers
    assert "mrivera@harborview.example.org" not in readers
    students = {r["person"] for r in rows if r["person"].endswith("@students.harborview.example.org")}
    for student in students:
        theirs = {r["repository"] for r in rows if r["person"] == student}
        assert len(theirs) == 1, student
        assert "district" not in theirs, student
    assert not any("example.org" in r["person"] and "harborview" not in r["person"] for r in rows)  # no family


def test_one_unreadable_repository_spoils_only_its_own_record(layouts: tuple[Path, Path], tmp_path: Path) -> None:
    _, split = layouts
    district = tmp_path / "district"
    _git(tmp_path, "clone", "-q", "--recurse-submodules", str(split / "district.git"), str(district))
    broken = district / "students" / "leo-martinez"
    (broken / ".git").unlink()
    _git(broken, "init", "-q")  # a repository without a commit
    result = CliRunner().invoke(
        main, ["build", "--root", str(district), "--today", TODAY, "--out", str(tmp_path / "s")]
    )
    assert result.exit_code == 0, result.output
    assert "students/leo-martinez:1: warning: git cannot read this student's repository" in result.output
    other = _page(tmp_path / "s" / "family" / "amara-osei" / "change-record").read_text("utf-8")
    assert "leo-martinez" not in other
    assert "could not be read" not in other
    mine = _page(tmp_path / "s" / "student" / "leo-martinez" / "change-record").read_text("utf-8")
    assert "could not be read" in mine


def test_split_names_forge_repositories_that_do_not_exist_yet(layouts: tuple[Path, Path], tmp_path: Path) -> None:
    single, _ = layouts
    out = tmp_path / "split"
    _ilp("split", "--root", str(single), "--out", str(out), "--url", "git@git.example.org:district-ilp/{id}.git")
    modules = (out / "district" / ".gitmodules").read_text(encoding="utf-8")
    assert "url = git@git.example.org:district-ilp/emily-tran.git" in modules
    assert (out / "district" / "students" / "emily-tran" / "profile.yml").is_file()
    bad = CliRunner().invoke(main, ["deploy", "forge", "--root", str(out / "district"), "--url", "org/{id}-{x}"])
    assert bad.exit_code == 1
    assert "no other braces" in bad.output
    assert "Traceback" not in bad.output


def test_new_with_repo_leaves_nothing_when_the_push_is_refused(tmp_path: Path) -> None:
    district = tmp_path / "district"
    _ilp("init", str(district))
    bare = tmp_path / "refusing.git"
    _git(tmp_path, "init", "-q", "--bare", str(bare))
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    result = CliRunner().invoke(
        main, ["new", "sam-lee", "--name", "Sam Lee", "--grade", "7", "--repo", str(bare), "--root", str(district)]
    )
    assert result.exit_code == 1
    assert "could not push" in result.output
    assert not (district / "students" / "sam-lee").exists()


def test_roster_import_sends_new_students_to_ilp_new_in_the_split_layout(
    layouts: tuple[Path, Path], tmp_path: Path
) -> None:
    _, split = layouts
    district = tmp_path / "district"
    _git(tmp_path, "clone", "-q", "--recurse-submodules", str(split / "district.git"), str(district))
    before = sorted(p.name for p in (district / "students").iterdir())
    bundle = Path(__file__).parent / "data" / "oneroster" / "harbor-view"
    result = CliRunner().invoke(main, ["roster", "import", str(bundle), "--root", str(district), "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert "needs a repository of their own" in result.output
    assert sorted(p.name for p in (district / "students").iterdir()) == before
