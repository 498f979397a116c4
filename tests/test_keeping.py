"""Students kept without being loaded (issue 14, item 3): the per-student key, the history tokens, the
summaries the start pages are made from, kept sites moved into place, and what survives a kill.

Every test here ends by comparing the incremental output with a clean build of the same files, byte
for byte (tests/test_incremental.py holds the same comparison for every kind of input change).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.history import heads
from generator.history.git import read_history
from generator.render.listing import Summary
from generator.site import moving
from tests.conftest import REPO, TODAY
from tests.determinism_support import assert_same_site, commit, git, snapshot
from tests.test_incremental import (  # noqa: F401 - the fixtures: template, case
    BEN_PAGE,
    DEGREE,
    WORRY,
    Case,
    cache_files,
    case_fixture,
    template_fixture,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The student folders a build in this process loads."""
    found: list[str] = []
    original = pipeline.load_student

    def spy(root: Path, name: str, *args: Any, **kwargs: Any) -> Any:
        found.append(name)
        return original(root, name, *args, **kwargs)

    monkeypatch.setattr(pipeline, "load_student", spy)
    return found


def clean_equals(case: Case) -> None:
    case.build("clean", cache=False)
    assert_same_site(case.root.parent / "site", case.root.parent / "clean")


def test_a_rebuild_with_nothing_changed_loads_no_student(case: Case, loaded: list[str]) -> None:
    case.build("site", cache=True)
    assert sorted(loaded) == ["ava", "ben"]
    loaded.clear()
    again = case.build("site", cache=True)
    assert loaded == []
    assert again.reused == again.sites
    assert again.students == 2
    clean_equals(case)


def test_one_students_page_loads_only_that_student(case: Case, loaded: list[str]) -> None:
    case.build("site", cache=True)
    loaded.clear()
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    case.build("site", cache=True)
    assert loaded == ["ben"]
    clean_equals(case)


def test_a_commit_loads_only_the_students_it_touches(case: Case, loaded: list[str]) -> None:
    case.build("site", cache=True)
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    case.build("site", cache=True)
    loaded.clear()
    commit(case.root, "Ben's page", "2026-11-20T16:00:00Z")  # the files are as built: only the history changed
    case.build("site", cache=True)
    assert loaded == ["ben"], "a commit of Ben's page must rebuild Ben (his change record) and no one else"
    clean_equals(case)


def test_a_rewritten_history_loads_every_student(case: Case, loaded: list[str]) -> None:
    case.build("site", cache=True)
    loaded.clear()
    git(case.root, "commit", "-q", "--amend", "-m", "Reworded", date="2026-10-05T19:30:00Z")
    case.build("site", cache=True)
    assert sorted(loaded) == ["ava", "ben"]
    clean_equals(case)


def test_another_branch_checked_out_loads_every_student(case: Case, loaded: list[str]) -> None:
    git(case.root, "checkout", "-q", "-b", "other")
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    commit(case.root, "On another branch", "2026-11-20T16:00:00Z")
    case.build("site", cache=True)
    loaded.clear()
    git(case.root, "checkout", "-q", "main")
    case.build("site", cache=True)
    assert sorted(loaded) == ["ava", "ben"]
    clean_equals(case)


@pytest.mark.parametrize("change", ["deleted", "changed", "made a link"])
def test_a_file_of_a_kept_site_touched_by_hand_is_built_again(case: Case, loaded: list[str], change: str) -> None:
    case.build("site", cache=True)
    page = case.root.parent / "site" / "family" / "ava" / "my-goals" / "index.html"
    if change == "deleted":
        page.unlink()
    elif change == "changed":
        with page.open("ab") as handle:
            handle.write(b"<!-- by hand -->")
    else:
        page.rename(page.with_name("moved.html"))
        page.symlink_to(page.with_name("moved.html"))
    loaded.clear()
    case.build("site", cache=True)
    assert loaded == ["ava"]
    clean_equals(case)


def test_a_kept_student_still_reports_their_warnings(case: Case) -> None:
    first = case.build("site", cache=True)
    again = case.build("site", cache=True)
    assert again.reused == again.sites
    assert [w for w in again.warnings if "students/" in w] == [w for w in first.warnings if "students/" in w]
    assert any(w.startswith("students/ava/") for w in again.warnings)


RESUME = "---\ntitle: My résumé\nvisibility: public\n---\nHard worker.\n"


def test_a_public_path_taken_by_a_new_student_refuses_the_kept_one(case: Case) -> None:
    for sid in ("ava", "ben"):
        (case.root / f"students/{sid}/postsecondary-career-planning").mkdir(exist_ok=True)
        (case.root / f"students/{sid}/postsecondary-career-planning/resume.md").write_text(RESUME)
    case.edit("students/ben/profile.yml", "name: Ben Okafor\n", "name: Ben Okafor\npublic_path: nurse-portfolio\n")
    case.build("site", cache=True)
    assert (case.root.parent / "site" / "public" / "nurse-portfolio").is_dir()
    case.edit("students/ava/profile.yml", "name: Ava Reyes\n", "name: Ava Reyes\npublic_path: nurse-portfolio\n")
    again = case.build("site", cache=True)
    assert "ben" in again.skipped
    assert any("students/ben/profile.yml:" in e.format() and "already used" in e.format() for e in again.errors)
    clean_equals(case)


def test_the_cache_keeps_summaries_without_any_private_words(case: Case) -> None:
    case.build("site", cache=True)
    (data,) = [json.loads(p.read_text()) for p in cache_files(case.root) if p.suffix == ".json"]
    ava = data["students"]["ava"]
    summary = Summary.from_json(ava["summary"])
    assert summary.exact() == summary
    assert set(summary.listings) <= {"educator", "family", "advisory"}
    assert sorted(summary.sites) == sorted(ava["sites"])
    text = json.dumps(data)
    for word in (WORRY, DEGREE, "I forget homework", "Get a B in math", "My little brother"):
        assert word not in text


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s.update(listings="x"),
        lambda s: s.update(profile={"name": "someone else"}),
        lambda s: s["listings"]["educator"]["row"].update(grade="seven"),
        lambda s: s.update(id="ben"),
        lambda s: s.update(sites=["student/ava"]),
    ],
)
def test_a_damaged_summary_is_never_used(case: Case, loaded: list[str], damage: Any) -> None:
    case.build("site", cache=True)
    (path,) = [p for p in cache_files(case.root) if p.suffix == ".json"]
    data = json.loads(path.read_text())
    damage(data["students"]["ava"]["summary"])
    path.write_text(json.dumps(data))
    loaded.clear()
    case.build("site", cache=True)
    assert loaded == ["ava"]
    clean_equals(case)


# --- the history tokens ----------------------------------------------------------------------------


def test_history_tokens_change_only_for_the_folders_new_commits_touch(case: Case) -> None:
    head, first = heads.tokens(case.root, ["ava", "ben"], None, {})
    assert first["ava"] != first["ben"]
    assert heads.tokens(case.root, ["ava", "ben"], head, first) == (head, first)
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    commit(case.root, "Ben", "2026-11-20T16:00:00Z")
    later, second = heads.tokens(case.root, ["ava", "ben"], head, first)
    assert later != head
    assert second["ava"] == first["ava"]
    assert second["ben"] != first["ben"]
    git(case.root, "mv", "students/ben/career-exploration/nurse.md", "students/ava/career-exploration/ben.md")
    commit(case.root, "Moved", "2026-11-21T16:00:00Z")
    _, third = heads.tokens(case.root, ["ava", "ben"], later, second)
    assert third["ava"] != second["ava"], "a move touches both folders"
    assert third["ben"] != second["ben"], "a move touches both folders"


def test_history_tokens_outside_git_and_after_a_reset(tmp_path: Path, case: Case) -> None:
    plain = tmp_path / "plain"
    (plain / "students" / "ava").mkdir(parents=True)
    assert heads.tokens(plain, ["ava"], None, {}) == (heads.NONE, {"ava": heads.NONE})
    head, first = heads.tokens(case.root, ["ava", "ben"], None, {})
    git(case.root, "reset", "-q", "--hard", "HEAD~1")
    _, after = heads.tokens(case.root, ["ava", "ben"], head, first)
    assert after["ava"] != first["ava"]
    assert after["ben"] != first["ben"]


def test_a_history_read_for_some_folders_tells_moves_as_the_whole_history_does(case: Case) -> None:
    git(case.root, "mv", "students/ben/career-exploration/nurse.md", "students/ava/career-exploration/ben.md")
    commit(case.root, "Ben's page moved to Ava", "2026-11-21T16:00:00Z")
    whole = read_history(case.root, [], ["students/"])
    some = read_history(case.root, [], ["students/ava/"])

    def ava(history: Any) -> list[tuple[str, tuple[Any, ...]]]:
        return [
            (c.sha, tuple(x for x in c.changes if "students/ava/" in (x.path + (x.old_path or ""))))
            for c in history.commits
            if any("students/ava/" in (x.path + (x.old_path or "")) for x in c.changes)
        ]

    assert ava(some) == ava(whole)
    moved = [x for c in some.commits for x in c.changes if x.status == "R"]
    assert moved
    assert moved[0].old_path == "students/ben/career-exploration/nurse.md"


# --- moved, not copied; and put back -------------------------------------------------------------------


def test_kept_sites_are_moved_not_copied(case: Case) -> None:
    case.build("site", cache=True)
    out = case.root.parent / "site"
    before = (out / "student" / "ava" / "index.html").stat().st_ino
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    case.build("site", cache=True)
    assert (out / "student" / "ava" / "index.html").stat().st_ino == before
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".site.")) == []
    clean_equals(case)


KILLED_WHILE_MOVING = """
import os, signal
original = os.rename
count = [0]
def rename(source, target):
    original(source, target)
    if str(source).startswith(os.environ["KILL_OUT"] + "/"):  # a kept site moved out of the output
        count[0] += 1
        if count[0] == 2:
            os.kill(os.getpid(), signal.SIGKILL)
os.rename = rename
from generator.cli import main
main()
"""


def test_a_build_killed_while_moving_is_put_back_by_the_next(case: Case) -> None:
    case.build("site", cache=True)
    out = case.root.parent / "site"
    before = snapshot(out)
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    command = [sys.executable, "-c", KILLED_WHILE_MOVING, "build", "--root", str(case.root), "--out", str(out)]
    env = {**os.environ, "KILL_OUT": str(out)}
    done = subprocess.run([*command, "--today", TODAY], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    journals = list(out.parent.glob(".site.moving-*.json"))
    assert journals, "the killed build left no journal of its moves"
    assert snapshot(out) != before, "the kill came before any move: the test cannot fail"
    moving.recover(out, journals[0].name.rsplit("-", 1)[-1].removesuffix(".json"))
    assert snapshot(out) == before, "the moved folders were not put back"
    case.edit(BEN_PAGE, "Nurses study for years", "Nurses need a degree")
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    case.build("site", cache=True)
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".site.")) == []
    clean_equals(case)


def test_an_error_while_moving_puts_everything_back(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    case.build("site", cache=True)
    out = case.root.parent / "site"
    before = snapshot(out)
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    original = os.rename
    count = [0]

    def failing(source: Any, target: Any) -> None:
        if str(source).startswith(f"{out}/"):
            count[0] += 1
            if count[0] == 2:
                raise OSError(28, "No space left on device")
        original(source, target)

    monkeypatch.setattr(moving.os, "rename", failing)
    with pytest.raises(OSError, match="No space left"):
        case.build("site", cache=True)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".site.")) == []


def test_sigint_waits_for_the_moves_and_the_swap() -> None:
    code = (
        "import os, signal, time\n"
        "from generator.site import moving\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)  # even where it was started ignoring it\n"
        "try:\n"
        "    with moving.signals_deferred():\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "        time.sleep(0.2)\n"
        "        print('finished', flush=True)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted after', flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["finished", "interrupted", "after"], done.stdout + done.stderr


def test_two_cached_builds_at_once_take_turns(case: Case) -> None:
    slow = (
        "import time\nfrom generator import keeping\noriginal = keeping.Keeper.__call__\n"
        "def slow(self, *a, **k):\n    time.sleep(1.5)\n    return original(self, *a, **k)\n"
        "keeping.Keeper.__call__ = slow\nfrom generator.cli import main\nmain()\n"
    )
    out = case.root.parent / "site"
    case.build("site", cache=True)
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    args = ["build", "--root", str(case.root), "--out", str(out), "--today", TODAY]
    with subprocess.Popen([sys.executable, "-c", slow, *args], cwd=REPO, stderr=subprocess.PIPE, text=True) as first:
        time.sleep(0.5)
        case.build("site", cache=True)
        _, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    clean_equals(case)


# --- shards load their own students; the merge loads none -------------------------------------------


def test_a_shard_loads_its_own_students_and_the_merge_none(case: Case, loaded: list[str]) -> None:
    from generator.merging import merge
    from generator.site.shards import in_shard

    parts = [case.root.parent / f"part-{n}" for n in (1, 2)]
    for number, part in enumerate(parts, 1):
        loaded.clear()
        pipeline.build(case.root, part, shard=(number, 2), theme_dir=case.theme)
        assert loaded == [s for s in ("ava", "ben") if in_shard(s, (number, 2))]
    loaded.clear()
    merge(case.root, parts, case.root.parent / "site", theme_dir=case.theme)
    assert loaded == []
    clean_equals(case)


def test_a_public_path_two_parts_chose_is_refused_at_the_merge(case: Case) -> None:
    from generator.merging import merge

    for sid in ("ava", "ben"):
        (case.root / f"students/{sid}/postsecondary-career-planning").mkdir(exist_ok=True)
        (case.root / f"students/{sid}/postsecondary-career-planning/resume.md").write_text(RESUME)
        name = "Ava Reyes" if sid == "ava" else "Ben Okafor"
        case.edit(f"students/{sid}/profile.yml", f"name: {name}\n", f"name: {name}\npublic_path: nurse-portfolio\n")
    from generator.site.shards import in_shard

    count = next(
        n for n in range(2, 20) if next(i for i in range(1, n + 1) if in_shard("ava", (i, n)))
        != next(i for i in range(1, n + 1) if in_shard("ben", (i, n)))
    )  # fmt: skip
    parts = [case.root.parent / f"part-{n}" for n in range(1, count + 1)]
    for number, part in enumerate(parts, 1):
        pipeline.build(case.root, part, shard=(number, count), theme_dir=case.theme)
    merged = merge(case.root, parts, case.root.parent / "site", theme_dir=case.theme)
    assert "ben" in merged.skipped
    assert any("students/ben/profile.yml:" in e.format() and "already used" in e.format() for e in merged.errors)
    clean_equals(case)


def test_many_folders_are_read_as_the_whole_history(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `MANY_FOLDERS` student folders, git reads students/ whole (one pathspec is far faster than
    hundreds): the change records are the same as those of the folders read one by one."""
    from generator.history import git as history_git

    git(case.root, "mv", "students/ben/career-exploration/nurse.md", "students/ava/career-exploration/ben.md")
    commit(case.root, "Ben's page moved to Ava", "2026-11-21T16:00:00Z")
    few = pipeline.corpus(case.root, only={"ava", "ben"})
    monkeypatch.setattr(history_git, "MANY_FOLDERS", 1)
    many = pipeline.corpus(case.root, only={"ava", "ben"})
    for sid in ("ava", "ben"):
        assert [(e.commit.sha, e.items) for e in many.records[sid].entries] == [
            (e.commit.sha, e.items) for e in few.records[sid].entries
        ]
    assert any(i.status == "moved in" for e in many.records["ava"].entries for i in e.items)


def test_history_tokens_of_a_district_in_a_subfolder_of_its_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo" / "district"
    for name in ("ava", "ben"):
        (root / "students" / name).mkdir(parents=True)
        (root / "students" / name / "profile.yml").write_text(f"name: {name}\n")
    git(tmp_path / "repo", "init", "-q", "-b", "main")
    commit(tmp_path / "repo", "First", "2026-09-01T12:00:00Z")
    head, first = heads.tokens(root, ["ava", "ben"], None, {})
    (root / "students" / "ava" / "profile.yml").write_text("name: Ava\n")
    commit(tmp_path / "repo", "Ava", "2026-09-02T12:00:00Z")
    _, second = heads.tokens(root, ["ava", "ben"], head, first)
    assert second["ava"] != first["ava"]
    assert second["ben"] == first["ben"]


# --- the start pages and the cache file, kept as they are ------------------------------------------


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many start pages each build in this process made (none when they were kept)."""
    from generator import builds

    made: list[int] = []
    original = builds.start_sites

    def spy(*args: Any, **kwargs: Any) -> Any:
        sites = original(*args, **kwargs)
        made.append(len(sites))
        return sites

    monkeypatch.setattr(builds, "start_sites", spy)
    return made


def _starts(case: Case) -> list[str]:
    (path,) = [p for p in cache_files(case.root) if p.suffix == ".json"]
    return json.loads(path.read_text())["starts"]["sites"]


def test_start_pages_are_kept_until_a_summary_changes(case: Case, started: list[int]) -> None:
    case.build("site", cache=True)
    assert started
    assert started[0] > 0
    dests = _starts(case)
    assert any(d.startswith("educator/") for d in dests)
    started.clear()
    again = case.build("site", cache=True)
    assert started == [], "nothing changed: the start pages are kept, not made again"
    assert again.reused == again.sites
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")  # no start page lists a page's text
    case.build("site", cache=True)
    assert started == []
    clean_equals(case)
    case.edit("students/ben/profile.yml", "name: Ben Okafor\n", "name: Benjamin Okafor\n")  # every listing of Ben
    case.build("site", cache=True)
    assert started
    assert started[0] > 0
    clean_equals(case)
    assert any("Benjamin Okafor" in (case.root.parent / "site" / d / "index.html").read_text() for d in dests)


@pytest.mark.parametrize("change", ["changed", "deleted"])
def test_a_start_page_touched_by_hand_is_made_again(case: Case, started: list[int], change: str) -> None:
    case.build("site", cache=True)
    page = case.root.parent / "site" / _starts(case)[0] / "index.html"
    if change == "deleted":
        page.unlink()
    else:
        with page.open("ab") as handle:
            handle.write(b"<!-- by hand -->")
    started.clear()
    case.build("site", cache=True)
    assert started
    assert started[0] > 0
    assert b"by hand" not in page.read_bytes()
    clean_equals(case)


def test_a_rebuild_with_nothing_changed_leaves_the_cache_file_as_it_was(case: Case, reads: list[str]) -> None:
    case.build("site", cache=True)
    (path,) = [p for p in cache_files(case.root) if p.suffix == ".json"]
    before = path.stat()
    case.build("site", cache=True)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "nothing to record"
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    case.build("site", cache=True)
    assert _written(path) != (before.st_ino, before.st_mtime_ns), "a changed site is recorded (the file written anew)"
    clean_equals(case)


# --- the students' files, read again only when their lstat changed -----------------------------------


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files of student folders that the cache's fingerprint read (RACY_NS 0: a file written just
    before a build may be trusted by the next)."""
    from generator.load import fingerprint

    found: list[str] = []
    original = fingerprint._file

    def spy(path: str, *args: Any) -> Any:
        if args:  # a student's file (the district's files are read every time)
            found.append(path)
        return original(path, *args)

    monkeypatch.setattr(fingerprint, "_file", spy)
    monkeypatch.setattr(fingerprint, "RACY_NS", 0)
    return found


def test_a_rebuild_reads_no_file_whose_lstat_is_the_one_recorded(case: Case, reads: list[str]) -> None:
    case.build("site", cache=True)
    assert reads
    reads.clear()
    again = case.build("site", cache=True)
    assert reads == []
    assert again.reused == again.sites
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")
    case.build("site", cache=True)
    assert [Path(p).name for p in reads] == ["nurse.md"]
    clean_equals(case)


def test_a_file_changed_with_its_size_and_time_kept_is_still_seen(case: Case, reads: list[str]) -> None:
    """Same size, mtime put back: the inode's change time (which no program can set back) shows it."""
    case.build("site", cache=True)
    page = case.root / BEN_PAGE
    before = page.stat()
    text = page.read_text(encoding="utf-8")
    assert "Nurses need a degree" in text
    page.write_text(text.replace("Nurses need a degree", "Nurses need a permit"), encoding="utf-8", newline="")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (page.stat().st_size, page.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    reads.clear()
    again = case.build("site", cache=True)
    assert [Path(p).name for p in reads] == ["nurse.md"]
    assert 0 < again.reused < again.sites
    clean_equals(case)
    assert "Nurses need a permit" in snapshot_text(case.root.parent / "site")


def snapshot_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*.html")))


def test_a_file_read_again_is_recorded_with_the_builds_time(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file too recent to trust is read again; the cache is then written again, with this build's time,
    so that the next build trusts it (and writes nothing)."""
    from generator.load import fingerprint

    monkeypatch.setattr(fingerprint, "RACY_NS", 10**18)  # every file too recent
    case.build("site", cache=True)
    (path,) = [p for p in cache_files(case.root) if p.suffix == ".json"]
    first = _written(path)
    case.build("site", cache=True)
    assert _written(path) != first, "files were read again: the cache must say when"
    monkeypatch.setattr(fingerprint, "RACY_NS", 0)
    second = _written(path)
    case.build("site", cache=True)
    assert _written(path) == second
    clean_equals(case)


def _written(path: Path) -> tuple[int, int]:
    """Which writing of a file this is: its inode and time (an inode alone may be the one a deleted file had)."""
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def test_a_name_no_file_can_have_in_the_cache_builds_everything(case: Case) -> None:
    case.build("site", cache=True)
    (path,) = [p for p in cache_files(case.root) if p.suffix == ".json"]
    data = json.loads(path.read_text())
    site = next(iter(data["sites"].values()))
    site["files"][0][0] = "index\ud800.html"
    path.write_text(json.dumps(data))
    again = case.build("site", cache=True)
    assert again.reused < again.sites
    clean_equals(case)


def test_the_library_versions_are_the_ones_importlib_metadata_gives() -> None:
    from importlib import metadata

    from generator.site import libraries

    expected = " ".join(f"{name}={metadata.version(name)}" for name in libraries.LIBRARIES)
    assert libraries.versions() == expected
    assert "mkdocs=1." in expected


def test_another_version_of_a_library_keeps_no_site(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.site import cache

    case.build("site", cache=True)
    real = cache.libraries.versions
    monkeypatch.setattr(cache.libraries, "versions", lambda: real().replace("mkdocs=", "mkdocs=99.0-not-"))
    again = case.build("site", cache=True)
    assert again.reused == 0


def test_a_rebuild_that_keeps_everything_imports_no_site_builder(case: Case, tmp_path: Path) -> None:
    """`ilp build` in a new process, nothing changed: neither MkDocs' builder, Jinja2, the merge nor
    importlib.metadata is imported (each costs its import time on every rebuild)."""
    from tests.test_check_speed import _run

    args = ("build", "--root", str(case.root), "--out", str(tmp_path / "site"))
    modules, printed = _run(tmp_path, case.root, *args)
    assert "mkdocs.commands.build" in modules, printed
    modules, printed = _run(tmp_path, case.root, *args)
    assert "unchanged, kept" in printed
    for name in (
        "mkdocs.commands.build",
        "jinja2",
        "generator.site.builder",
        "generator.merging",
        "importlib.metadata",
    ):
        assert name not in modules, name


@pytest.fixture
def described(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a build in this process described the district's own sites (their pages and lessons)."""
    from generator import builds

    calls: list[int] = []
    original = builds.district_sites

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(builds, "district_sites", spy)
    return calls


def test_the_district_sites_are_kept_until_content_or_the_district_changes(case: Case, described: list[int]) -> None:
    case.build("site", cache=True)
    assert described == [1]
    again = case.build("site", cache=True)
    assert described == [1], "nothing changed: the district's pages and lessons are kept, not described again"
    assert again.reused == again.sites
    case.edit(BEN_PAGE, "Nurses need a degree", "Nurses study for years")  # a student's page: not the district's
    case.build("site", cache=True)
    assert described == [1]
    clean_equals(case)
    case.edit("content/guide.md", "Ask your child", "Ask your teenager")
    case.build("site", cache=True)
    assert len(described) == 3  # this build, then the clean one
    assert "Ask your teenager" in (case.root.parent / "site/public/guide/index.html").read_text()
    clean_equals(case)
    (case.root / "content/map.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')  # not a page
    case.build("site", cache=True)
    assert len(described) == 5
    clean_equals(case)


@pytest.mark.parametrize("change", ["changed", "deleted"])
def test_a_district_page_touched_by_hand_is_made_again(case: Case, described: list[int], change: str) -> None:
    case.build("site", cache=True)
    page = case.root.parent / "site/public/guide/index.html"
    if change == "deleted":
        page.unlink()
    else:
        page.write_text(page.read_text().replace("Ask your child", "Planted by hand"))
    case.build("site", cache=True)
    assert len(described) == 2
    assert "Ask your child" in page.read_text()
    clean_equals(case)


def test_a_district_page_with_a_problem_is_reported_by_every_build(case: Case, described: list[int]) -> None:
    (case.root / "content/broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    first = case.build("site", cache=True)
    again = case.build("site", cache=True)
    assert len(described) == 2
    assert [e.format() for e in again.errors] == [e.format() for e in first.errors]
    assert any(e.path == "content/broken.md" for e in again.errors)
