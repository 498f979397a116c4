"""Incremental builds (issue 14, item 3): the cache never serves something stale.

A small district (two students, Ava and Ben, two district pages, one lesson, a copy of the theme)
is a real git repository. For each kind of input change in turn, the test builds with the cache,
makes the change, builds again with the cache into the same folder, and compares that folder with
a clean build of the changed district, byte for byte, every file and folder. Then: what is kept
(a no-change rebuild keeps every site, one student's change rebuilds only their sites), what the
cache may hold and where (no student's words, ignored by git), and what it survives (deleted,
corrupt, hostile, an output folder changed by hand, an interrupted or killed build).
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.errors import IlpError
from generator.pipeline import BuildResult, build
from generator.site import builder as site_builder
from tests.conftest import REPO, TODAY, TODAY_DATE
from tests.determinism_support import TRACEBACK, assert_same_site, commit, git, snapshot
from tests.test_determinism import STRENGTHS
from tests.test_jobs import small_district, student_files, write

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

AVA_PAGE = "students/ava/career-exploration/nurse.md"
BEN_PAGE = "students/ben/career-exploration/nurse.md"
DEGREE = "Nurses need a degree, wrote Ava Reyes."  # tests/test_jobs.py student_files()
WORRY = "CANARY-private-worry-7c2e1f"  # a private section's words: never in the cache, never for the family


@dataclass
class Case:
    """A copy of the template district (a git repository) and its theme, with helpers to change them."""

    root: Path
    theme: Path

    def build(self, name: str, cache: bool, today: datetime.date = TODAY_DATE, **options: Any) -> BuildResult:
        return build(self.root, self.root.parent / name, today=today, theme_dir=self.theme, cache=cache, **options)

    def edit(self, rel: str, old: str, new: str, base: Path | None = None) -> Path:
        path = (base or self.root) / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{rel} no longer holds {old!r}: update the test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")
        return path


@pytest.fixture(scope="module", name="template")
def template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Case:
    base = tmp_path_factory.mktemp("template")
    students = {"ava": ("Ava Reyes", "mrivera, jchen"), "ben": ("Ben Okafor", "tbrooks")}
    root = small_district(base / "district", students)
    write(root, "content/index.md", "# Our ILPs\n\nEvery student keeps an Individual Learning Plan.\n")
    write(root, "content/families.md", "# For families\n\nHow to read your child's ILP.\n")
    write(root, "content/guide.md", "# A guide for families\n\nAsk your child to show you their portfolio.\n")
    case = Case(root, base / "theme")
    case.edit(AVA_PAGE, "Blood.", f"Blood. {WORRY}")
    shutil.copytree(REPO / "theme", case.theme)
    git(root, "init", "-q", "-b", "main")
    commit(root, "The district's first ILPs", "2026-09-15T14:00:00Z")
    write(root, "students/ava/self-awareness/strengths.md", STRENGTHS)
    commit(root, "My strengths", "2026-10-05T19:30:00Z", ("Ava Reyes", "ava.reyes@students.harborview.example.org"))
    return case


@pytest.fixture(name="case")
def case_fixture(template: Case, tmp_path: Path) -> Case:
    copy = Case(tmp_path / "district", tmp_path / "theme")
    shutil.copytree(template.root, copy.root, symlinks=True)
    shutil.copytree(template.theme, copy.theme)
    return copy


def assert_absent(folder: Path, text: str) -> None:
    """`text` in no file under `folder` (its HTML-escaped form included)."""
    needles = {text.encode(), text.replace("'", "&#x27;").replace('"', "&quot;").encode()}
    found = [p for p in folder.rglob("*") if p.is_file() and any(n in p.read_bytes() for n in needles)]
    assert not found, f"{text!r} is still in {[str(p.relative_to(folder)) for p in found]}"


# --- every kind of change, in turn -----------------------------------------------------------------


def _same_size_same_time(c: Case, rel: str, old: str, new: str) -> None:
    """An edit that keeps the file's size and modification time (rsync -t, tar, a restored backup)."""
    assert len(old) == len(new)
    path = c.root / rel
    before = path.stat()
    c.edit(rel, old, new)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _hide_page(c: Case) -> None:
    c.edit(AVA_PAGE, "title: Research on nursing\n", "title: Research on nursing\nvisibility: private\n")


def _hide_barrier(c: Case) -> None:
    c.edit(
        "students/ava/goals.yml",
        "      - I forget homework.\n",
        "      - text: I forget homework.\n        visibility: private\n",
    )


def _hide_section(c: Case) -> None:
    c.edit("curriculum/framework.yml", "    visibility: [family, advisory]\n    prompts:\n      - Which careers", "    visibility: private\n    prompts:\n      - Which careers")  # fmt: skip


def _amend(c: Case) -> None:
    git(c.root, "commit", "-q", "--amend", "-m", "My strengths, and why", date="2026-10-05T19:30:00Z")


def _untracked(c: Case) -> None:
    write(c.root, "students/ben/self-awareness/hobby.md", "---\ntitle: My hobby\n---\nI play chess on Fridays.\n")


def _expiring_link(c: Case) -> None:
    write(
        c.root, "students/ava/sharing.yml", "links:\n  - for: Grandma\n    audience: family\n    expires: 2026-11-25\n"
    )


def _add_student(c: Case) -> None:
    for rel, text in student_files("cal", "Cal Diaz", "jchen").items():
        write(c.root, rel, text)


def _edit(rel: str, old: str, new: str, in_theme: bool = False) -> Callable[[Case], object]:
    return lambda c: c.edit(rel, old, new, c.theme if in_theme else None)


def _nothing(c: Case) -> None:
    pass


@dataclass(frozen=True)
class Step:
    change: Callable[[Case], object]
    before: Callable[[Case], object] = _nothing  # made before the first build
    day: str = TODAY  # the date of the second build
    keeps: bool = False  # some sites must be kept
    hidden: str | None = None  # words that must be gone from Ava's family and advisory views and from public/
    hidden_in: tuple[str, ...] = ("family/ava", "advisory/ava", "public")


LICENSE = _edit(AVA_PAGE, DEGREE, "Nurses need a license.")
HOBBY = "students/ben/self-awareness/hobby.md"
CHANGES: dict[str, Step] = {
    "a page": Step(LICENSE, keeps=True),
    "a page, same size and time": Step(lambda c: _same_size_same_time(c, AVA_PAGE, "Blood.", "Bones."), keeps=True),
    "an untracked page, same size and time": Step(
        lambda c: _same_size_same_time(c, HOBBY, "chess", "darts"), before=_untracked, keeps=True
    ),
    "a goal": Step(_edit("students/ava/goals.yml", "Get a B in math", "Get an A in math"), keeps=True),
    "the roster": Step(_edit("students/roster.yml", "Ms. Marisol Rivera", "Dr. Marisol Rivera")),
    "a student's educators": Step(
        _edit("students/ava/profile.yml", "[mrivera, jchen]", "[mrivera, tbrooks]"), keeps=True
    ),
    "the family's language": Step(
        _edit("students/ava/profile.yml", "career:\n", "languages:\n  family: es\ncareer:\n"), keeps=True
    ),
    "the framework": Step(_edit("curriculum/framework.yml", "title: Career Exploration", "title: Exploring Careers")),
    "a lesson": Step(_edit("curriculum/grade-07/g7-test-lesson.md", "two careers", "three careers")),
    "the theme's CSS": Step(_edit("assets/ilp.css", "}", "}\n.x-test { color: red; }", in_theme=True)),
    "a theme template": Step(_edit("base.html", "</head>", '<meta name="x-test" content="1">\n</head>', in_theme=True)),
    "mkdocs.yml": Step(_edit("mkdocs.yml", "site_name: Harbor View School District ILP", "site_name: Harbor View ILP")),
    "a district page": Step(_edit("content/index.md", "Every student", "Each student"), keeps=True),
    "a district page deleted": Step(lambda c: (c.root / "content/guide.md").unlink(), keeps=True),
    "the family help page deleted": Step(lambda c: (c.root / "content/families.md").unlink(), keeps=True),
    "an artifact": Step(_edit("students/ava/artifacts/chart.svg", 'width="4"', 'width="9"'), keeps=True),
    "a page deleted": Step(lambda c: (c.root / "students/ava/self-awareness/strengths.md").unlink(), keeps=True),
    "a new commit of what was built": Step(
        lambda c: commit(c.root, "Nursing needs a license", "2026-11-20T16:00:00Z"), before=LICENSE, keeps=True
    ),
    "a commit's message rewritten": Step(_amend, keeps=True),
    "the date crossing a review's due date": Step(_nothing, day="2027-02-10"),
    "a sharing link expiring": Step(_nothing, before=_expiring_link, day="2026-11-26"),
    "a student added": Step(_add_student, keeps=True),
    "a student removed": Step(
        lambda c: shutil.rmtree(c.root / "students/ben"), keeps=True, hidden="Ben Okafor", hidden_in=("",)
    ),
    "a page made private": Step(_hide_page, keeps=True, hidden=DEGREE),
    "a barrier made private": Step(_hide_barrier, keeps=True, hidden="I forget homework."),
    "a section made private in the framework": Step(_hide_section, hidden=DEGREE),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_an_incremental_build_equals_a_clean_one_after(case: Case, name: str) -> None:
    step = CHANGES[name]
    step.before(case)
    first = case.build("site", cache=True)
    assert first.reused == 0
    built_before = snapshot(case.root.parent / "site")
    step.change(case)
    today = datetime.date.fromisoformat(step.day)
    second = case.build("site", cache=True, today=today)
    clean = case.build("clean", cache=False, today=today)
    assert_same_site(case.root.parent / "site", case.root.parent / "clean")
    assert snapshot(case.root.parent / "clean") != built_before, (
        f"{name}: the change shows nowhere; the test cannot fail"
    )
    assert (second.sites, second.pages) == (clean.sites, clean.pages)
    if step.keeps:
        assert second.reused > 0, f"{name}: every site was built again ({second.sites}); the cache kept nothing"
    if step.hidden is not None:
        for folder in step.hidden_in:
            assert_absent(case.root.parent / "site" / folder, step.hidden)


FILE_URLS = [
    "a page",
    "a page deleted",
    "a student added",
    "a student removed",
    "a page made private",
    "a district page deleted",
    "the family help page deleted",
    "a new commit of what was built",
]


@pytest.mark.parametrize("name", FILE_URLS)
def test_with_file_addresses_an_incremental_build_equals_a_clean_one_after(case: Case, name: str) -> None:
    """`use_directory_urls: false` (what `ilp demo` writes): links name files, across sites too."""
    (case.root / "mkdocs.yml").write_text((case.root / "mkdocs.yml").read_text() + "use_directory_urls: false\n")
    test_an_incremental_build_equals_a_clean_one_after(case, name)
    assert (case.root.parent / "site" / "student" / "ava" / "index.html").is_file()
    assert not (case.root.parent / "site" / "student" / "ava" / "my-goals" / "index.html").exists()


# --- what is kept ----------------------------------------------------------------------------------


@pytest.fixture
def built_sites(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folder of every site a build in this process builds (rather than keeps)."""
    found: list[str] = []
    original = site_builder.SiteBuilder.build

    def spy(self: site_builder.SiteBuilder, site: Any, site_dir: Path, *args: Any, **kwargs: Any) -> Any:
        found.append(site.dest)
        return original(self, site, site_dir, *args, **kwargs)

    monkeypatch.setattr(site_builder.SiteBuilder, "build", spy)
    return found


def test_a_rebuild_with_nothing_changed_keeps_every_site(case: Case, built_sites: list[str]) -> None:
    first = case.build("site", cache=True)
    assert len(built_sites) == first.sites > 0
    before = snapshot(case.root.parent / "site")
    built_sites.clear()
    again = case.build("site", cache=True)
    assert built_sites == []
    assert again.reused == again.sites == first.sites
    assert again.pages == first.pages
    assert snapshot(case.root.parent / "site") == before


def test_one_students_change_rebuilds_only_their_sites(case: Case, built_sites: list[str]) -> None:
    case.build("site", cache=True)
    built_sites.clear()
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    again = case.build("site", cache=True)
    assert "student/ben" in built_sites
    assert [dest for dest in built_sites if "ava" in dest.split("/")] == []
    assert again.reused == again.sites - len(built_sites)
    assert again.reused >= again.sites // 2, f"rebuilt {built_sites} of {again.sites} sites for one page"
    case.build("clean", cache=False)
    assert_same_site(case.root.parent / "site", case.root.parent / "clean")


def test_another_output_folder_or_other_options_are_built_whole(case: Case) -> None:
    case.build("site", cache=True)
    other = case.build("other", cache=True)
    assert other.reused == 0
    assert_same_site(case.root.parent / "other", case.root.parent / "site")
    few = case.build("site", cache=True, audiences=("student", "educator"))
    case.build("clean", cache=False, audiences=("student", "educator"))
    assert_same_site(case.root.parent / "site", case.root.parent / "clean")
    assert not (case.root.parent / "site" / "family").exists()
    assert few.sites < other.sites
    case.build("site", cache=True)
    assert_same_site(case.root.parent / "site", case.root.parent / "other")


def test_two_workers_keep_the_same_sites(case: Case) -> None:
    case.build("site", cache=True, jobs=2)
    case.edit(AVA_PAGE, DEGREE, "Nurses need a license.")
    again = case.build("site", cache=True, jobs=2)
    assert 0 < again.reused < again.sites
    case.build("clean", cache=False)
    assert_same_site(case.root.parent / "site", case.root.parent / "clean")


# --- the cache itself ------------------------------------------------------------------------------


def cache_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / ".ilp-cache").rglob("*") if p.is_file())


def test_the_cache_is_on_by_default_ignored_by_git_and_holds_no_students_words(case: Case) -> None:
    """The cache holds hashes, file names and what the start pages list of each student (their name as
    a view shows it, figures): never a page's text, a goal, a barrier or a private part; only its owner
    may read it."""
    from click.testing import CliRunner

    from generator.cli import main

    out = case.root.parent / "site"
    result = CliRunner().invoke(main, ["build", "--root", str(case.root), "--out", str(out), "--today", TODAY])
    assert result.exit_code == 0, result.output
    files = cache_files(case.root)
    assert files, "ilp build wrote no cache in .ilp-cache/"
    assert git(case.root, "status", "--porcelain", "--untracked-files=all") == ""
    assert ".ilp-cache" not in git(case.root, "add", "--all", "--dry-run")
    words = [WORRY, "My little brother needs me", "I forget homework", "Get a B in math", "I am patient"]
    words += ["Research on nursing", DEGREE]
    for path in files:
        if path.name != ".gitignore":
            assert path.stat().st_mode & 0o077 == 0, f"{path.name} may be read by others than its owner"
        data = path.read_bytes()
        for word in words:
            assert word.encode() not in data, f"{path.name} holds a student's words: {word!r}"


def test_a_deleted_cache_gives_a_full_rebuild_with_the_same_output(case: Case) -> None:
    case.build("site", cache=True)
    before = snapshot(case.root.parent / "site")
    shutil.rmtree(case.root / ".ilp-cache")
    again = case.build("site", cache=True)
    assert again.reused == 0
    assert snapshot(case.root.parent / "site") == before


def _hostile(path: Path, out: Path) -> None:
    """File names that leave the site's folder, and an absolute one, added to every site the cache lists."""
    (out.parent / "outside.txt").write_text("outside the output folder\n")
    data = json.loads(path.read_text())
    for entry in data["sites"].values():
        entry["files"] += ["../../../outside.txt", str(out.parent / "outside.txt"), "../../student/ava/index.html"]
    path.write_text(json.dumps(data))


def _folder(path: Path, out: Path) -> None:
    path.unlink()
    path.mkdir()


CORRUPTIONS: dict[str, Callable[[Path, Path], object]] = {
    "truncated": lambda p, out: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "garbage": lambda p, out: p.write_bytes(b"\x00\xff\xfe garbage \x80" * 50),
    "empty": lambda p, out: p.write_bytes(b""),
    "null": lambda p, out: p.write_text("null"),
    "a list": lambda p, out: p.write_text("[1, 2, 3]"),
    "wrong types": lambda p, out: p.write_text(
        json.dumps({**json.loads(p.read_text()), "sites": {"student/ava": {"key": [], "pages": "x", "files": 3}}})
    ),
    "sites not an object": lambda p, out: p.write_text(json.dumps({**json.loads(p.read_text()), "sites": "x"})),
    "a folder": _folder,
    "names outside the site": _hostile,
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_a_corrupt_cache_is_ignored_never_trusted(case: Case, kind: str) -> None:
    case.build("site", cache=True)
    out = case.root.parent / "site"
    files = cache_files(case.root)
    listed = [p for p in files if p.suffix == ".json"]
    assert listed, f"no cache file: {files}"
    for path in listed:
        CORRUPTIONS[kind](path, out)
    case.edit(AVA_PAGE, DEGREE, "Nurses need a license.")
    case.build("site", cache=True)
    case.build("clean", cache=False)
    assert_same_site(out, case.root.parent / "clean")
    if kind == "names outside the site":
        assert (out.parent / "outside.txt").read_text() == "outside the output folder\n"
    again = case.build("site", cache=True)
    if kind != "a folder":
        assert again.reused == again.sites, "the cache was not written again after a corrupt one"


def test_a_file_deleted_from_the_output_is_built_again(case: Case) -> None:
    case.build("site", cache=True)
    out = case.root.parent / "site"
    (out / "student" / "ava" / "index.html").unlink()
    shutil.rmtree(out / "family" / "ben")
    case.build("site", cache=True)
    case.build("clean", cache=False)
    assert_same_site(out, case.root.parent / "clean")


def test_a_file_changed_by_hand_in_the_output_is_built_again(case: Case) -> None:
    case.build("site", cache=True)
    out = case.root.parent / "site"
    with (out / "family" / "ava" / "index.html").open("ab") as page:
        page.write(b"<!-- changed by hand on the server -->")
    (out / "student" / "ben" / "index.html").write_bytes(b"truncated by a full disk")
    case.build("site", cache=True)
    case.build("clean", cache=False)
    assert_same_site(out, case.root.parent / "clean")


# --- interruptions ---------------------------------------------------------------------------------


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_an_interrupted_build_leaves_the_previous_site_whole(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    case.build("site", cache=True)
    out = case.root.parent / "site"
    before = snapshot(out)
    case.edit(AVA_PAGE, DEGREE, "Nurses need a license.")
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    calls: list[str] = []
    original = site_builder.SiteBuilder.build

    def interrupted(self: site_builder.SiteBuilder, site: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(site.dest)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(self, site, *args, **kwargs)

    monkeypatch.setattr(site_builder.SiteBuilder, "build", interrupted)
    with pytest.raises(KeyboardInterrupt):
        case.build("site", cache=True)
    assert snapshot(out) == before, "an interrupted build changed the previous site"
    assert _leftovers(out) == []
    monkeypatch.undo()
    case.build("site", cache=True)
    case.build("clean", cache=False)
    assert_same_site(out, case.root.parent / "clean")


def test_an_interruption_after_the_swap_never_leaves_the_cache_describing_the_old_site(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted between putting the new site in place and recording it (or the cache cannot be written:
    a full disk): the next build must not take the new site's files for the old one's."""
    from generator.site import cache

    case.build("site", cache=True)
    page = case.root / AVA_PAGE
    original_text = page.read_bytes()
    case.edit(AVA_PAGE, DEGREE, "Nurses need a license.")

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cache, "save", interrupted)
    with pytest.raises(KeyboardInterrupt):
        case.build("site", cache=True)
    monkeypatch.undo()
    page.write_bytes(original_text)  # the change undone: the sites are the first build's again
    case.build("site", cache=True)
    case.build("clean", cache=False)
    assert_same_site(case.root.parent / "site", case.root.parent / "clean")


SLOW = """
import time
from generator.site import builder
original = builder.SiteBuilder.build
def slow(self, *args, **kwargs):
    time.sleep(0.3)
    return original(self, *args, **kwargs)
builder.SiteBuilder.build = slow
from generator.cli import main
main()
"""


def test_a_killed_build_leaves_the_previous_site_whole(case: Case) -> None:
    case.build("site", cache=True)
    out = case.root.parent / "site"
    before = snapshot(out)
    case.edit(AVA_PAGE, DEGREE, "Nurses need a license.")
    command = [sys.executable, "-c", SLOW, "build", "--root", str(case.root), "--out", str(out), "--today", TODAY]
    with subprocess.Popen(command, cwd=REPO, stderr=subprocess.DEVNULL, start_new_session=True) as proc:
        deadline = time.monotonic() + 60
        while not any(f.is_file() for s in out.parent.glob(".site.*") for f in s.rglob("*")):
            assert proc.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
    assert snapshot(out) == before, "a killed build changed the previous site"
    case.build("site", cache=True)
    assert _leftovers(out) == [], "the killed build's staging folder is still there after the next build"
    case.build("clean", cache=False)
    assert_same_site(out, case.root.parent / "clean")


def test_two_builds_at_once_into_the_same_folder_never_publish_a_half_site(case: Case) -> None:
    """A nightly build and one started by hand, at the same time (or two CI jobs on one runner)."""
    out = case.root.parent / "site"
    command = [sys.executable, "-c", SLOW, "build", "--root", str(case.root), "--out", str(out), "--today", TODAY]
    with subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True, start_new_session=True) as slow:
        deadline = time.monotonic() + 60
        while not any(f.is_file() for s in out.parent.glob(".site.*") for f in s.rglob("*")):
            assert slow.poll() is None, "the slow build ended before the second one started"
            assert time.monotonic() < deadline, "the slow build never started writing"
            time.sleep(0.02)
        refused = ""
        try:
            case.build("site", cache=True)  # the quick one, while the slow one is still writing
        except IlpError as exc:  # refusing to start beside another build is fine, with a message
            refused = str(exc)
        _, stderr = slow.communicate(timeout=120)
    assert refused == "" or "build" in refused, refused
    assert TRACEBACK not in stderr, stderr
    case.build("clean", cache=False)
    assert_same_site(out, case.root.parent / "clean")
    case.build("site", cache=True)
    assert_same_site(out, case.root.parent / "clean")
    assert _leftovers(out) == []


@pytest.mark.parametrize("kind", ["a symlink to another folder", "a file"])
def test_a_cache_folder_that_is_not_a_folder_is_never_written_through(case: Case, kind: str) -> None:
    """`.ilp-cache` committed (or made) as a symlink elsewhere, or as a file: the build neither follows nor fails."""
    elsewhere = case.root.parent / "elsewhere"
    elsewhere.mkdir()
    if kind == "a file":
        (case.root / ".ilp-cache").write_text("not a folder\n")
    else:
        (case.root / ".ilp-cache").symlink_to(elsewhere, target_is_directory=True)
    case.build("site", cache=True)
    again = case.build("site", cache=True)
    assert list(elsewhere.iterdir()) == [], "the build wrote its cache through a symlink, outside the repository"
    case.build("clean", cache=False)
    assert_same_site(case.root.parent / "site", case.root.parent / "clean")
    assert again.sites > 0
