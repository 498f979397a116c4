"""Shards (issue 14, item 4): `ilp build --shard I/N` on N machines, `ilp build --merge` into one site.

The sample district (a git repository) is built as 3 shards in 3 separate processes at once, with
different hash seeds, and merged; the merge equals a single build byte for byte. Each shard holds
only its own students' sites (no other student's name or id anywhere in it); a student's shard
never changes (across processes, and when other students are added); wrong values and wrong
folders are a one-line message and exit 1, never a traceback and never a silently wrong site.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.merging import merge as pipeline_merge
from generator.pipeline import build
from tests.conftest import REPO, TODAY, TODAY_DATE
from tests.determinism_support import (
    TRACEBACK,
    assert_no_traceback,
    assert_same_site,
    commit,
    git,
    ilp,
    snapshot,
)
from tests.test_jobs import SAMPLE_IDS, sample_reference, small_district, student_files, write

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SHARED = re.compile(r"^(index\.html|404\.html|assets/|(educator|family|advisory)/_|(educator|public)/curriculum/)")


def student_ids(folder: Path) -> set[str]:
    """The students whose own sites are in `folder` (from the folders of the non-public audiences)."""
    return {p.name for audience in ("student", "educator", "family", "advisory") for p in (folder / audience).glob("*")}


def names(root: Path, sid: str) -> list[str]:
    profile = (root / "students" / sid / "profile.yml").read_text(encoding="utf-8")
    return [sid, *re.findall(r"^name: (.+)$", profile, re.M)]


def shard_processes(root: Path, base: Path, count: int, seeds: tuple[int, ...]) -> list[Path]:
    """`ilp build --shard I/N` for every I, each in its own process, all at once."""
    folders = [base / f"s{i}" for i in range(1, count + 1)]
    env = os.environ.copy()
    procs = []
    for number, (folder, seed) in enumerate(zip(folders, seeds, strict=True), start=1):
        command = [sys.executable, "-c", "from generator.cli import main; main()", "build", "--root", str(root)]
        command += ["--out", str(folder), "--shard", f"{number}/{count}", "--jobs", "1", "--no-cache"]
        procs.append(
            subprocess.Popen(
                command, cwd=REPO, env={**env, "PYTHONHASHSEED": str(seed)}, stderr=subprocess.PIPE, text=True
            )
        )
    for proc in procs:
        _, stderr = proc.communicate(timeout=180)
        assert proc.returncode == 0, stderr
        assert_no_traceback(stderr)
    return folders


def test_three_shards_in_three_processes_merge_into_the_single_build(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    root, single = sample_reference(tmp_path_factory)
    parts = shard_processes(root, tmp_path, 3, (11, 12, 13))
    merged = tmp_path / "merged"
    merge_args = [arg for part in parts for arg in ("--merge", str(part))]
    done = ilp("build", "--root", str(root), *merge_args, "--out", str(merged), seed=14)
    assert done.returncode == 0, done.stderr
    assert_no_traceback(done.stderr)
    assert_same_site(merged, single)

    # Each shard holds its own students' sites and nothing else, every file as the single build has it.
    found = [student_ids(part) for part in parts]
    assert sorted(sid for ids in found for sid in ids) == sorted(SAMPLE_IDS), found
    assert sum(1 for ids in found if ids) >= 2, f"the split puts (almost) everyone in one shard: {found}"
    whole = snapshot(single)
    for part, ids in zip(parts, found, strict=True):
        others = [word for sid in SAMPLE_IDS if sid not in ids for word in names(root, sid)]
        for rel, data in snapshot(part).items():
            if rel == ".ilp-shard.json":
                continue
            assert not SHARED.match(rel), f"{part.name}/{rel}: a shared page in a shard"
            assert rel in whole, f"{part.name}/{rel} is not in the single build"
            if data is not None:
                assert data == whole[rel], f"{part.name}/{rel} differs from the single build"
            for word in others:
                assert word not in rel, f"{part.name}/{rel}: names a student of another shard"
                assert data is None or word.encode() not in data, f"{part.name}/{rel} names {word!r}, of another shard"

    # The same part again, in another process with another hash seed: the same students, the same bytes.
    again = tmp_path / "again" / "s2"
    done = ilp("build", "--root", str(root), "--out", str(again), "--shard", "2/3", "--no-cache", seed=99)
    assert done.returncode == 0, done.stderr
    assert_same_site(again, parts[1])


def _ids_by_shard(root: Path, base: Path, count: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for number in range(1, count + 1):
        out = base / f"s{number}"
        build(root, out, TODAY_DATE, shard=(number, count), audiences=("student",))
        for sid in student_ids(out):
            assert sid not in found, f"{sid} is in shard {found[sid]} and shard {number}"
            found[sid] = number
    return found


def test_adding_students_moves_no_one_to_another_shard(tmp_path: Path) -> None:
    first = {f"s{n:02d}": (f"Student Number{n}", "mrivera") for n in range(6)}
    root = small_district(tmp_path / "district", first)
    before = _ids_by_shard(root, tmp_path / "before", 3)
    assert sorted(before) == sorted(first)
    for sid in ("aaa", "zzz", "s03b"):
        for rel, text in student_files(sid, f"Added {sid.upper()}", "jchen").items():
            write(root, rel, text)
    after = _ids_by_shard(root, tmp_path / "after", 3)
    assert sorted(after) == sorted([*first, "aaa", "zzz", "s03b"])
    assert {sid: after[sid] for sid in first} == before


def test_shards_with_file_addresses_merge_into_the_single_build(tmp_path: Path) -> None:
    """`use_directory_urls: false`: a shard's links to the shared pages and to other shards' sites name files."""
    students = {sid: (f"{sid.title()} Tester", "mrivera, jchen") for sid in ("ava", "ben", "cal", "dee")}
    root = small_district(tmp_path / "district", students)
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text() + "use_directory_urls: false\n")
    write(root, "content/index.md", "# Our ILPs\n\nEvery student keeps an Individual Learning Plan.\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "The district's first ILPs", "2026-09-15T14:00:00Z")
    parts = [tmp_path / "s1", tmp_path / "s2"]
    for number, part in enumerate(parts, start=1):
        build(root, part, TODAY_DATE, shard=(number, 2))
    assert all(student_ids(part) for part in parts), [student_ids(part) for part in parts]
    pipeline_merge(root, parts, tmp_path / "merged", TODAY_DATE)
    build(root, tmp_path / "single", TODAY_DATE)
    assert_same_site(tmp_path / "merged", tmp_path / "single")
    assert (tmp_path / "merged" / "educator" / "_mrivera" / "index.html").is_file()


# --- wrong values, wrong folders -------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert TRACEBACK not in result.output
    assert "internal error" not in result.output, result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("value", ["0/3", "4/3", "a/b", "1/0", "3", "-1/3", "1/3/3", "", " ", "1.5/3", "2/-3"])
def test_a_wrong_shard_is_a_message(tmp_path: Path, value: str) -> None:
    root = small_district(tmp_path / "district")
    code, output = run("build", "--root", str(root), "--out", str(tmp_path / "out"), "--shard", value)
    assert code == 1, output
    assert "--shard" in output, output
    assert "I/N" in output, output
    assert not (tmp_path / "out").exists()


def test_wrong_jobs_are_a_message(tmp_path: Path) -> None:
    root = small_district(tmp_path / "district")
    for value in ("0", "-2", "two"):
        code, output = run("build", "--root", str(root), "--out", str(tmp_path / "out"), "--jobs", value)
        assert code in (1, 2), output
        assert "--jobs" in output, output


@pytest.fixture
def two_shards(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A small district of four students in a git repository, and its shards 1/2 and 2/2."""
    students = {sid: (f"{sid.title()} Tester", "mrivera") for sid in ("ava", "ben", "cal", "dee")}
    root = small_district(tmp_path / "district", students)
    git(root, "init", "-q", "-b", "main")
    commit(root, "The district's first ILPs", "2026-09-15T14:00:00Z")
    one, two = tmp_path / "s1", tmp_path / "s2"
    build(root, one, TODAY_DATE, shard=(1, 2))
    build(root, two, TODAY_DATE, shard=(2, 2))
    assert student_ids(one)
    assert student_ids(two)
    return root, one, two


def merge(root: Path, out: Path, *parts: Path | str) -> tuple[int, str]:
    merge_args = [arg for part in parts for arg in ("--merge", str(part))]
    return run("build", "--root", str(root), *merge_args, "--out", str(out), "--today", TODAY)


def test_merge_takes_several_folders_after_one_option(two_shards: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """As the issue writes it: `ilp build --merge DIR [DIR ...] --out OUT`."""
    root, one, two = two_shards
    out = tmp_path / "merged"
    code, output = run("build", "--root", str(root), "--merge", str(one), str(two), "--out", str(out), "--today", TODAY)
    assert code == 0, output
    single = tmp_path / "single"
    build(root, single, TODAY_DATE)
    assert_same_site(out, single)


def test_merge_refuses_what_is_not_a_whole_set_of_shards(two_shards: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root, one, two = two_shards
    out = tmp_path / "merged"
    full = tmp_path / "full"
    build(root, full, TODAY_DATE)
    empty = tmp_path / "empty"
    empty.mkdir()
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n")
    third = tmp_path / "third"
    build(root, third, TODAY_DATE, shard=(1, 3), audiences=("student",))
    cases = {
        "not a shard (a whole build)": ((one, full), full),
        "an empty folder": ((one, two, empty), empty),
        "no such folder": ((one, two, tmp_path / "missing"), tmp_path / "missing"),
        "a file": ((one, two, a_file), a_file),
        "the same shard twice": ((one, one, two), one),
        "a shard missing": ((one,), "2"),
        "shards of different counts": ((one, two, third), third),
        "the output is a shard": ((one, two), out),
    }
    wrong = []
    for name, (parts, named) in cases.items():
        target = one if name == "the output is a shard" else out
        before = snapshot(target) if target.exists() else None
        code, output = merge(root, target, *parts)
        if code not in (1, 2) or not (str(named) in output or (isinstance(named, Path) and named.name in output)):
            wrong.append(f"{name}: exit {code}: {output.splitlines()[-1:]}")
        if (snapshot(target) if target.exists() else None) != before:
            wrong.append(f"{name}: the output folder was changed")
    assert not wrong, "\n".join(wrong)


def refused_with(root: Path, source: Path, tmp_path: Path, one: Path, name: str, why: str, named: str) -> None:
    """Merge part 1 of `root` with part 2 built from `source` into tmp_path/name: refused, naming `named`."""
    part = tmp_path / name
    build(source, part, TODAY_DATE, shard=(2, 2))
    code, output = merge(root, tmp_path / "merged", one, part)
    assert code == 1, f"{why}: {output}"
    assert named in output, output


def test_merge_refuses_shards_of_another_district_or_another_commit(
    two_shards: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    root, one, _ = two_shards
    # Another district: the same configuration, other students.
    other = small_district(tmp_path / "other", {"zed": ("Zed Stranger", "mrivera"), "yan": ("Yan Stranger", "jchen")})
    git(other, "init", "-q", "-b", "main")
    commit(other, "Another district", "2026-09-15T14:00:00Z")
    refused_with(root, other, tmp_path, one, "foreign", "shards of another district were merged", "foreign")
    assert not (tmp_path / "merged" / "student" / "zed").exists()
    # The same district, one commit later: shard 1 is stale.
    in_one = sorted(student_ids(one))[0]
    page = root / "students" / in_one / "career-exploration" / "nurse.md"
    page.write_text(page.read_text().replace("Nurses need a degree", "Nurses need a license"))
    commit(root, "A change after shard 1 was built", "2026-11-20T10:00:00Z")
    refused_with(root, root, tmp_path, one, "fresh2", "a shard built from an older commit was merged", "s1")


def test_a_shard_with_no_student_is_an_empty_part_that_merges(tmp_path: Path) -> None:
    """More shards than students: some parts hold no one, and the merge still equals one build."""
    from generator.merging import merge
    from generator.pipeline import build
    from tests.conftest import REPO, TODAY_DATE

    root = tmp_path / "district"
    root.mkdir()
    for name in ("mkdocs.yml",):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "curriculum", root / "curriculum")
    (root / "students").mkdir()
    shutil.copy(REPO / "students" / "roster.yml", root / "students" / "roster.yml")
    shutil.copytree(REPO / "students" / "leo-martinez", root / "students" / "leo-martinez")
    parts = []
    for number in (1, 2, 3):
        part = tmp_path / f"s{number}"
        build(root, part, TODAY_DATE, shard=(number, 3))
        parts.append(part)
    assert sum(1 for p in parts if (p / "student" / "leo-martinez").is_dir()) == 1
    merge(root, parts, tmp_path / "merged", TODAY_DATE)
    build(root, tmp_path / "single", TODAY_DATE)
    single = sorted(p.relative_to(tmp_path / "single") for p in (tmp_path / "single").rglob("*") if p.is_file())
    merged = sorted(p.relative_to(tmp_path / "merged") for p in (tmp_path / "merged").rglob("*") if p.is_file())
    assert single == merged
    for rel in single:
        assert (tmp_path / "single" / rel).read_bytes() == (tmp_path / "merged" / rel).read_bytes(), rel
