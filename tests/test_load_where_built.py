"""Students loaded where their sites are built (issue 14): with directory URLs the parent reads the
district, the public addresses and the history; each worker loads its student, builds them and
forgets them. The public addresses are still decided as when every student was loaded first.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from generator import builds, pipeline
from generator.builds import build
from tests.determinism_support import assert_same_site
from tests.test_incremental import (  # noqa: F401 - the fixtures: template, case
    BEN_PAGE,
    TODAY_DATE,
    Case,
    case_fixture,
    template_fixture,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

RESUME = "---\ntitle: My résumé\nvisibility: public\n---\nHard worker, planted-resume-5512.\n"


def choose(case: Case, student: str, name: str, path: str) -> None:
    (case.root / f"students/{student}/postsecondary-career-planning").mkdir(exist_ok=True)
    (case.root / f"students/{student}/postsecondary-career-planning/resume.md").write_text(RESUME)
    case.edit(f"students/{student}/profile.yml", f"name: {name}\n", f"name: {name}\npublic_path: {path}\n")


def profile_line(case: Case, student: str, text: str) -> int:
    lines = (case.root / f"students/{student}/profile.yml").read_text(encoding="utf-8").splitlines()
    return lines.index(text) + 1


def sites_of(out: Path, student: str) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.glob(f"*/{student}"))


def test_with_two_jobs_the_parent_loads_no_student(case: Case, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    original = pipeline.load_student

    def spy(root: Path, name: str, *args: Any, **kwargs: Any) -> Any:
        with calls.open("a") as f:  # the workers are forked with the spy: each writes its own line
            f.write(f"{os.getpid()} {name}\n")
        return original(root, name, *args, **kwargs)

    monkeypatch.setattr(pipeline, "load_student", spy)
    two = case.build("two", cache=False, jobs=2)
    found = [line.split() for line in calls.read_text().splitlines()]
    assert sorted(name for _, name in found) == ["ava", "ben"]
    assert str(os.getpid()) not in {pid for pid, _ in found}
    calls.unlink()
    one = case.build("one", cache=False, jobs=1)
    assert sorted(line.split()[1] for line in calls.read_text().splitlines()) == ["ava", "ben"]
    assert (two.students, two.sites, two.pages, two.warnings) == (one.students, one.sites, one.pages, one.warnings)
    assert_same_site(case.root.parent / "one", case.root.parent / "two")


@pytest.mark.parametrize("jobs", [1, 2])
def test_two_students_choose_one_public_path(case: Case, jobs: int) -> None:
    choose(case, "ava", "Ava Reyes", "nurse-portfolio")
    choose(case, "ben", "Ben Okafor", "nurse-portfolio")
    result = case.build("site", cache=False, jobs=jobs)
    out = case.root.parent / "site"
    line = profile_line(case, "ben", "public_path: nurse-portfolio")
    assert [e.format() for e in result.errors] == [
        f"students/ben/profile.yml:{line}: public_path 'nurse-portfolio' is already used by students/ava; "
        "choose another"
    ]
    assert result.skipped == ["ben"]
    assert sites_of(out, "ben") == []
    assert (
        "planted-resume-5512"
        in (out / "public/nurse-portfolio/postsecondary-career-planning/resume/index.html").read_text()
    )
    assert result.students == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_student_with_errors_takes_no_public_path(case: Case, jobs: int) -> None:
    choose(case, "ava", "Ava Reyes", "nurse-portfolio")
    choose(case, "ben", "Ben Okafor", "nurse-portfolio")
    (case.root / "students/ava/goals.yml").write_text("goals: [unclosed\n")
    result = case.build("site", cache=False, jobs=jobs)
    out = case.root.parent / "site"
    assert result.skipped == ["ava"]
    assert all(e.path == "students/ava/goals.yml" for e in result.errors)
    assert sites_of(out, "ava") == []
    assert (out / "public/nurse-portfolio/index.html").is_file()
    assert "educator/ben" in sites_of(out, "ben")


@pytest.mark.parametrize("taken", ["families", "search", "curriculum"])
def test_a_public_path_a_district_folder_holds_is_refused(case: Case, taken: str) -> None:
    choose(case, "ben", "Ben Okafor", taken)
    result = case.build("site", cache=False, jobs=2)
    line = profile_line(case, "ben", f"public_path: {taken}")
    assert [e.format() for e in result.errors] == [
        f"students/ben/profile.yml:{line}: public_path '{taken}' is already used by a district page; choose another"
    ]
    out = case.root.parent / "site"
    assert sites_of(out, "ben") == []
    every = "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    assert "planted-resume-5512" not in every


def test_a_refused_student_s_warnings_are_still_reported(case: Case) -> None:
    choose(case, "ava", "Ava Reyes", "nurse-portfolio")
    choose(case, "ben", "Ben Okafor", "nurse-portfolio")
    (case.root / "students/ben/notes.txt").write_text("not part of the ILP\n")
    result = case.build("site", cache=False, jobs=2)
    assert any(w.startswith("students/ben/notes.txt:1: warning:") for w in result.warnings)


def test_a_public_path_changed_while_the_build_reads_is_not_built(case: Case) -> None:
    choose(case, "ben", "Ben Okafor", "nurse-portfolio")
    pending = pipeline.defer(pipeline.begin(case.root, TODAY_DATE))
    assert pending.public == {"ava": None, "ben": "nurse-portfolio"}
    case.edit("students/ben/profile.yml", "public_path: nurse-portfolio\n", "public_path: families\n")
    one, report = pipeline.load_one(pending, "ben")
    line = profile_line(case, "ben", "public_path: families")
    assert one is None
    assert [d.format() for d in report.errors] == [
        f"students/ben/profile.yml:{line}: this file changed while the build was reading it; run the build again"
    ]
    one, report = pipeline.load_one(pending, "ava")
    assert one is not None
    assert [s.id for s in one.students] == ["ava"]
    assert list(one.records) == ["ava"]
    assert one.records["ava"].available


def test_the_deferred_build_equals_a_build_from_the_loaded_corpus(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same sites, summaries and warnings as when the parent loads every student first."""
    choose(case, "ben", "Ben Okafor", "nurse-portfolio")
    (case.root / "students/ben/notes.txt").write_text("not part of the ILP\n")
    deferred = case.build("deferred", cache=False, jobs=2)
    monkeypatch.setattr(builds, "_loaded", _loaded_without_defer(builds._loaded))
    loaded = build(case.root, case.root.parent / "loaded", today=TODAY_DATE, theme_dir=case.theme, jobs=2)
    assert (deferred.students, deferred.sites, deferred.pages) == (loaded.students, loaded.sites, loaded.pages)
    assert deferred.warnings == loaded.warnings
    assert_same_site(case.root.parent / "loaded", case.root.parent / "deferred")


def _loaded_without_defer(original: Any) -> Any:
    def loaded(*args: Any, defer: bool = False, **kwargs: Any) -> Any:
        return original(*args, defer=False, **kwargs)

    return loaded


def test_a_public_path_written_with_an_escape_is_read_as_the_student_check_reads_it(case: Case) -> None:
    choose(case, "ben", "Ben Okafor", "nurse-portfolio")
    case.edit("students/ben/profile.yml", "public_path: nurse-portfolio\n", '"public\\u005fpath": nurse-portfolio\n')
    pending = pipeline.defer(pipeline.begin(case.root, TODAY_DATE))
    assert pending.public["ben"] == "nurse-portfolio"
    result = case.build("site", cache=False, jobs=2)
    assert result.errors == []
    assert (case.root.parent / "site/public/nurse-portfolio/index.html").is_file()


def test_the_files_the_record_reads_are_the_pages_the_student_check_finds(case: Case) -> None:
    """`recorded_files` (the history the parent asks git for) lists goals.yml and exactly the pages of
    a folder without errors, whatever else the folder holds."""
    from generator.check.district import load_district
    from generator.check.student import load_student, recorded_files

    folder = case.root / "students/ava"
    for inner, text in {
        "conference.md": "---\ntitle: My conference\nvisibility: family\n---\n## Hello\n\nMy year.\n",
        ".drafts/idea.md": "---\ntitle: Idea\n---\nHidden.\n",
        "self-awareness/.hidden.md": "---\ntitle: Hidden\n---\nHidden.\n",
        "self-awareness/deeper/index.md": "---\ntitle: Deeper\n---\nDeeper.\n",
    }.items():
        (folder / inner).parent.mkdir(parents=True, exist_ok=True)
        (folder / inner).write_text(text)
    district, _, _ = load_district(case.root, TODAY_DATE)
    student, report = load_student(case.root, "ava", district)
    assert student is not None, [d.format() for d in report.errors]
    pages = {p.path for p in student.pages}
    assert "students/ava/self-awareness/deeper/index.md" in pages
    assert "students/ava/conference.md" not in pages
    assert set(recorded_files(case.root, "ava")) == {"students/ava/goals.yml", *pages}


def test_a_student_with_errors_who_chose_a_taken_path_is_left_out_before_any_worker_loads(case: Case) -> None:
    """Loaded once, in the first process: fixing the file while the build runs does not get them built
    into an address another student was given."""
    choose(case, "ava", "Ava Reyes", "nurse-portfolio")
    choose(case, "ben", "Ben Okafor", "nurse-portfolio")
    good = (case.root / "students/ava/goals.yml").read_text()
    (case.root / "students/ava/goals.yml").write_text("goals: [unclosed\n")
    pending = pipeline.defer(pipeline.begin(case.root, TODAY_DATE))
    assert pending.names == ("ben",)
    assert "ava" in pending.corpus.skipped
    assert any(d.path == "students/ava/goals.yml" for d in pending.corpus.report.errors)
    (case.root / "students/ava/goals.yml").write_text(good)  # fixed while the build runs: too late
    assert pending.public == {"ben": "nurse-portfolio"}


def test_a_linked_content_folder_is_read_through_by_the_cache(case: Case) -> None:
    real = case.root.parent / "pages-elsewhere"
    shutil.move(str(case.root / "content"), real)
    (case.root / "content").symlink_to(real)
    case.build("site", cache=True)
    guide = real / "guide.md"
    guide.write_text(guide.read_text().replace("Ask your child", "Ask your teenager"))
    case.build("site", cache=True)
    assert "Ask your teenager" in (case.root.parent / "site/public/guide/index.html").read_text()
    case.build("clean", cache=False)
    assert_same_site(case.root.parent / "site", case.root.parent / "clean")


def test_files_changed_while_a_student_is_built_are_not_recorded_for_their_key(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache looks at every folder first and loads each student later (in a worker, minutes later at
    scale): a file changed in between is built as it is then, so the key made before does not stand for it."""
    case.build("site", cache=True)
    page = case.root / BEN_PAGE
    before = page.read_text(encoding="utf-8")
    edited = before.replace("Nurses need a degree", "Nurses study for years")
    page.write_text(edited, encoding="utf-8")
    original = pipeline.load_student

    def meanwhile(root: Path, name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "ben":
            page.write_text(edited.replace("study for years", "planted-meanwhile-3391"), encoding="utf-8")
        return original(root, name, *args, **kwargs)

    monkeypatch.setattr(pipeline, "load_student", meanwhile)
    case.build("site", cache=True)
    monkeypatch.setattr(pipeline, "load_student", original)
    time.sleep(0.01)
    page.write_text(edited, encoding="utf-8")  # back to the bytes the key was made from
    case.build("site", cache=True)
    out = case.root.parent / "site"
    every = "".join(p.read_text(errors="replace") for p in out.rglob("*.html"))
    assert "planted-meanwhile-3391" not in every
    case.build("clean", cache=False)
    assert_same_site(out, case.root.parent / "clean")
