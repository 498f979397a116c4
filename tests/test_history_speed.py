"""The history stage read the fast way (issue 14): one `git log --raw` pass whose blob ids name the
versions, one `git cat-file --batch` process for all of them, and the log started before the files
load. What it reads must be what git holds; these tests check correctness, not timing."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.check.student import load_student as real_load
from generator.history.git import Writer, read_history, start
from generator.model import Change
from tests.conftest import TODAY_DATE, District

REPO = Path(__file__).resolve().parents[1]
UTC = datetime.UTC
AVA = ("Ava Reyes", "ava@students.example.org")
RIVERA = ("Ms. Marisol Rivera", "mrivera@harborview.example.org")
GOALS = "students/ava/goals.yml"
CAFE = "students/ava/career-exploration/café.md"
EXTRA = "students/ava/career-exploration/extra.md"


def at(day: str) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(15), UTC)


def _git(root: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout


def _files(root: Path, prefix: str = "") -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and p.relative_to(root).as_posix().startswith(prefix)
    }


@pytest.fixture
def repo(district: District, tmp_path: Path) -> Writer:
    """Ava's folder over a year: edits, a page renamed, one removed, a non-UTF-8 goals version, a file
    name with an accent and another repository's history merged in."""
    writer = Writer(district.root)
    everything = _files(district.root)
    writer.commit(everything, *RIVERA, at("2025-08-20"), "Set up the district")
    goals = (district.root / GOALS).read_bytes()
    writer.commit({GOALS: goals.replace(b"Get a B", b"Get an A")}, *AVA, at("2025-09-10"), "Aim higher")
    writer.commit({CAFE: b"---\ntitle: Caf\xc3\xa9\n---\nCoffee.\n"}, *AVA, at("2025-10-01"), "A page")
    writer.move(CAFE, "students/ava/career-exploration/cafe.md", *AVA, at("2025-10-02"), "Rename")
    writer.commit({GOALS: goals + b"# r\xe9vis\xe9\n"}, *RIVERA, at("2025-11-03"), "Latin-1 comment")
    writer.commit({"students/ava/career-exploration/cafe.md": None}, *AVA, at("2025-12-01"), "Remove it")
    other = Writer(tmp_path / "other")
    other.commit({EXTRA: b"---\ntitle: Extra\n---\nFrom elsewhere.\n"}, *AVA, at("2025-12-05"), "x")
    writer.merge_history(tmp_path / "other", *RIVERA, at("2025-12-06"), "Bring in Ava's other history")
    writer.commit({GOALS: goals}, *RIVERA, at("2026-01-22"), "Back to the goals as they are")
    return writer


def _expected_changes(root: Path) -> dict[str, tuple[Change, ...]]:
    """Each commit's changes as `git log --name-status` names them (the reader uses --raw)."""
    raw = _git(root, "log", "-z", "--name-status", "-M", "--format=%x01%H%x02", "--", "students/").decode()
    found: dict[str, tuple[Change, ...]] = {}
    for chunk in raw.split("\x01")[1:]:
        sha, _, rest = chunk.partition("\x02")
        parts = [p.lstrip("\n") for p in rest.split("\x00") if p.strip("\n")]
        changes, index = [], 0
        while index < len(parts):
            status = parts[index][:1]
            if status in ("R", "C"):
                changes.append(Change(status, parts[index + 2], parts[index + 1]))
                index += 3
            else:
                changes.append(Change(status, parts[index + 1]))
                index += 2
        found[sha] = tuple(changes)
    return found


def test_the_history_is_what_git_holds(district: District, repo: Writer) -> None:
    wanted = [GOALS, CAFE, "students/ava/career-exploration/cafe.md", EXTRA]
    history = read_history(district.root, wanted)
    assert history.available, history.reason
    order = _git(district.root, "log", "--format=%H", "--", "students/").decode().split()
    assert [c.sha for c in history.commits] == order
    expected = _expected_changes(district.root)
    assert {c.sha: c.changes for c in history.commits} == expected
    assert any(ch.status == "R" for c in history.commits for ch in c.changes), "the fixture renames a page"
    merge = next(c for c in history.commits if len(c.parents) == 2)
    assert merge.changes == ()
    versions = {(c.sha, ch.path) for c in history.commits for ch in c.changes if ch.path in wanted and ch.status != "D"}
    assert set(history.versions) == versions
    assert len(versions) == 7  # 4 of goals.yml, the page under both names, extra.md
    for (sha, path), text in history.versions.items():
        assert text == _git(district.root, "show", f"{sha}:{path}").decode("utf-8", errors="replace"), path
    by_message = {c.message: c.sha for c in history.commits}
    assert "# r\ufffdvis\ufffd" in history.versions[(by_message["Latin-1 comment"], GOALS)]
    assert history.versions[(by_message["A page"], CAFE)].startswith("---\ntitle: Café")


def _spy(monkeypatch: pytest.MonkeyPatch, on_start: threading.Event | None = None) -> list[list[str]]:
    """The git commands started through subprocess.Popen (the reader's own: GitPython's too), in order;
    `on_start` is set when a `git log` has started."""
    started: list[list[str]] = []
    real = subprocess.Popen

    def popen(command: list[str], *args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process = real(command, *args, **kwargs)
        started.append([str(part) for part in command[1:]])
        if on_start is not None and command[1:2] == ["log"]:
            on_start.set()
        return process

    monkeypatch.setattr(subprocess, "Popen", popen)
    return started


def test_one_log_and_one_cat_file_process_for_every_version(
    district: District, repo: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _spy(monkeypatch)
    history = read_history(district.root, [GOALS, EXTRA])
    assert len(history.versions) == 5
    ours = [c for c in started if c[:1] in (["log"], ["cat-file"])]
    assert [c[0] for c in ours] == ["log", "cat-file"]
    assert {"--raw", "--no-abbrev", "-z", "-M"} <= set(ours[0])
    assert ours[1] == ["cat-file", "--batch", "--buffer"]


def test_versions_named_later_are_the_same(district: District, repo: Writer) -> None:
    wanted = [GOALS, "students/ava/career-exploration/cafe.md"]
    streamed = read_history(district.root, wanted)
    assert start(district.root).history(wanted) == streamed
    ava = read_history(district.root, wanted, ["students/ava/"])
    assert ava != streamed  # the district's own commit changes more than Ava's folder
    assert start(district.root, ["students/ava/"], wanted).history() == ava
    assert start(district.root).history().versions == {}
    with pytest.raises(TypeError):
        start(district.root, wanted=wanted).history(wanted)


def test_the_log_runs_while_the_files_load(district: District, repo: Writer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the first student waits (up to 20 s) for the history's `git log` to have started:
    reading the history only after the files are loaded fails this test."""
    logging = threading.Event()
    started = _spy(monkeypatch, logging)
    seen: list[bool] = []

    def load_student(*args: Any) -> Any:
        seen.append(logging.wait(20))
        return real_load(*args)

    monkeypatch.setattr(pipeline, "load_student", load_student)
    loaded = pipeline.corpus(district.root, TODAY_DATE)
    assert loaded.skipped == ()
    assert seen == [True]
    assert [c[0] for c in started if c[:1] in (["log"], ["cat-file"])] == ["log", "cat-file"]
    assert loaded.records["ava"].available
    assert len(loaded.records["ava"].entries) == len(_expected_changes(district.root)) - 1  # not the merge
    assert not [t for t in threading.enumerate() if t.name.startswith("ilp-history")]


def test_a_student_left_out_of_only_changes_nobody_elses_record(district: District) -> None:
    """With `only`, git reads the folders of the students that loaded, and a page moved into Ava's folder
    from a folder left out (its profile does not load) is 'moved in' for her, as the whole district's
    history tells it, whether she is asked alone or with the others."""
    writer = Writer(district.root)
    writer.commit(_files(district.root), *RIVERA, at("2025-08-20"), "Set up the district")
    district.write("students/zed/profile.yml", "name: [unclosed\n")
    district.write("students/zed/notes.md", "---\ntitle: Notes\n---\nSome notes of mine, long enough to follow.\n")
    writer.commit(_files(district.root, "students/zed/"), *AVA, at("2025-09-01"), "Zed's folder")
    writer.move(
        "students/zed/notes.md", "students/ava/self-awareness/notes.md", *AVA, at("2025-09-02"), "Move the notes"
    )
    both = read_history(district.root, paths=["students/ava/", "students/zed/"])
    assert Change("R", "students/ava/self-awareness/notes.md", "students/zed/notes.md") in both.commits[0].changes
    first = pipeline.corpus(district.root, TODAY_DATE, only={"ava"})
    assert first.skipped == (), [d.format() for d in first.report.errors]
    alone = first.records["ava"]
    loaded = pipeline.corpus(district.root, TODAY_DATE, only={"ava", "zed"})
    assert loaded.skipped == ("zed",)
    record = loaded.records["ava"]
    assert record.entries == alone.entries  # (a parsed page compares by identity: the rest by value)
    assert record.goal_versions == alone.goal_versions
    assert [(v.sha, v.meta) for v in record.page_versions["career-exploration/nurse.md"]] == [
        (v.sha, v.meta) for v in alone.page_versions["career-exploration/nurse.md"]
    ]
    assert [(i.name, i.status) for i in alone.entries[0].items] == [("self-awareness/notes.md", "moved in")]
    whole = pipeline.corpus(district.root, TODAY_DATE).records["ava"]
    assert [(i.name, i.status) for i in whole.entries[0].items] == [("self-awareness/notes.md", "moved in")]


def test_nothing_is_left_running_when_the_history_is_not_needed(district: District, repo: Writer) -> None:
    loaded = pipeline.corpus(district.root, TODAY_DATE, only={"nobody"})
    assert loaded.students == ()
    assert loaded.records == {}
    assert not [t for t in threading.enumerate() if t.name.startswith("ilp-history")]
    reading = start(district.root)
    reading.cancel()
    assert not reading.thread.is_alive()
    assert all(s.process is None or s.process.proc.poll() is not None for s in reading.sources)


def test_a_version_git_cannot_read_is_reported_not_stuck(district: District, repo: Writer) -> None:
    blob = _git(district.root, "rev-parse", f"HEAD~1:{GOALS}").decode().strip()
    (district.root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    for history in (read_history(district.root, [GOALS]), start(district.root).history([GOALS])):
        assert not history.available
        assert history.reason.startswith("git could not read the history (SHA could not be resolved"), history.reason
    assert read_history(district.root, [EXTRA]).available


def test_no_repository_and_no_commits_read_as_before(district: District) -> None:
    assert read_history(district.root, [GOALS]).reason == (
        "this ILP is not kept in a git repository, so there is no change record yet"
    )
    Writer(district.root)
    for history in (read_history(district.root, [GOALS]), start(district.root).history([GOALS])):
        assert history.reason == "nothing has been committed yet, so there is no change record yet"


def test_the_history_bench_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "history.py"), "--students", "3", "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "commits: 91, versions read: " in done.stdout
    assert re.search(r"^machine: .*[0-9]+ cores", done.stdout, re.M), done.stdout
    for label in (
        "history stage",
        "history stage CPU",
        "history stage left after loading",
        "change records",
    ):
        assert re.search(rf"^{label}: [0-9]+\.[0-9]+ s", done.stdout, re.M), (label, done.stdout)
