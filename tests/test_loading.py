"""The loading stage, as a user meets it through `ilp check` and `ilp build`.

Every file the generator reads goes through generator/load/: regular files only (a symlink,
device, FIFO or socket is a `path:line: message` error, never followed, never a hang), names
with control characters refused before they are printed, a folder where a file is expected and
an unreadable folder reported, sizes and option lengths bounded, calendar dates validated, and
Markdown that is pathological for a parser handled in linear time. Every user error is a
`path:line: message` line and a non-zero exit, never a traceback; a failed build writes no
half site.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import LESSON, REPO, TODAY, District

SECRET = "CANARY-outside-target-4b1e9d"
# Any control character but the line break that ends an output line (a tab, ESC, CR, NUL, DEL),
# and lone surrogates (an undecodable byte of a file name passed through as text).
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\ud800-\udfff]")
TRACEBACK = "Traceback (most recent call last)"


# --- helpers ---------------------------------------------------------------------------------------


def assert_clean(text: str) -> None:
    """No traceback, no internal error and no raw control character in any output line."""
    assert TRACEBACK not in text, text
    assert "internal error" not in text, text
    for line in text.splitlines():
        assert not RAW_CONTROL.search(line), f"raw control character in output line {line!r}"


def has_line(lines: list[str], prefix: str, *words: str) -> bool:
    return any(line.startswith(prefix) and all(w.lower() in line.lower() for w in words) for line in lines)


FOLDER_MESSAGE = re.compile(r"is a folder|a folder where a file|folder, but a file|not a file but a folder", re.I)


def has_folder_line(lines: list[str], prefix: str) -> bool:
    """A line at `prefix` that says a folder is where a file is expected (not 'missing', not 'does not exist')."""
    return any(line.startswith(prefix) and FOLDER_MESSAGE.search(line) for line in lines)


def check_lines(district: District, *paths: str) -> tuple[int, list[str], str]:
    """Exit code, stdout lines and all output of `ilp check` (in process: a traceback raises)."""
    result = district.check(*paths)
    assert_clean(result.output)
    return result.exit_code, [line for line in result.stdout.splitlines() if line.strip()], result.output


def build(district: District, out: Path | None = None) -> tuple[int, str, Path]:
    out = out or district.root.parent / "site"
    result = district.run("build", "--root", str(district.root), "--out", str(out), "--today", TODAY)
    assert_clean(result.output)
    return result.exit_code, result.output, out


def site_text(out: Path) -> bytes:
    if not out.exists():
        return b""
    return b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and not p.is_symlink())


def cli(*args: str, timeout: float = 20, prefix: tuple[str, ...] = ()) -> tuple[int, str, str, float]:
    """Run `ilp ARGS` in a subprocess (so a hang is a timeout, not a stuck test run)."""
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-c", "from generator.cli import main; main()", *args],
            cwd=REPO,
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"ilp {' '.join(args[:1])} did not finish in {timeout} s (a hang): {args}")
    seconds = time.monotonic() - started
    stdout = proc.stdout.decode("utf-8")  # strict: an undecodable byte in the output is a failure
    stderr = proc.stderr.decode("utf-8")
    assert_clean(stdout)
    assert_clean(stderr)
    return proc.returncode, stdout, stderr, seconds


def cli_check(district: District, *paths: str, timeout: float = 20) -> tuple[int, list[str], str]:
    code, stdout, stderr, _ = cli(
        "check",
        "--root",
        str(district.root),
        "--today",
        TODAY,
        *[str(district.root / p) for p in paths],
        timeout=timeout,
    )
    return code, [line for line in stdout.splitlines() if line.strip()], stdout + stderr


def cli_build(district: District, timeout: float = 60) -> tuple[int, str, Path]:
    out = district.root.parent / "site"
    code, stdout, stderr, _ = cli(
        "build", "--root", str(district.root), "--out", str(out), "--today", TODAY, timeout=timeout
    )
    return code, stdout + stderr, out


def outside(district: District, name: str, text: str) -> Path:
    """A file outside the repository (beside it), holding `text`."""
    path = district.root.parent / "outside" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def replace_with_symlink(district: District, rel: str, target: Path | str) -> None:
    path = district.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    os.symlink(target, path)


def line_of(text: str, needle: str, start: int = 0) -> int:
    """The 1-based line of the first occurrence of `needle` at or after character `start`."""
    index = text.index(needle, start)
    return text.count("\n", 0, index) + 1


FRAMEWORK_TEXT = (REPO / "curriculum" / "framework.yml").read_text(encoding="utf-8")
ROSTER_TEXT = (REPO / "students" / "roster.yml").read_text(encoding="utf-8")
MKDOCS_TEXT = (REPO / "mkdocs.yml").read_text(encoding="utf-8")

# Valid files holding the secret: if a link to one were followed, the secret would be published.
SECRET_FILES = {
    "students/ava/goals.yml": f"""\
goals:
  - id: math-b
    domain: academic
    term: short
    statement: {SECRET}
    status: in-progress
    set: 2026-09-10
    due: 2027-01-20
""",
    "students/ava/profile.yml": f"""\
name: {SECRET}
graduation_year: 2032
school: Harbor View Middle School
educators: [mrivera, jchen]
""",
    "students/ava/career-exploration/nurse.md": f"""\
---
title: Research on nursing
activity: g7-career-research
lesson: g7-test-lesson
date: 2026-10-12
---
{SECRET} ![Chart of nurse pay](../artifacts/chart.svg)
""",
    "students/ava/artifacts/chart.svg": f'<svg xmlns="http://www.w3.org/2000/svg"><text x="0" y="10">{SECRET}</text></svg>\n',
    "curriculum/framework.yml": FRAMEWORK_TEXT.replace(
        "title: Rhode Island Individual Learning Plan Framework", f"title: {SECRET}", 1
    ),
    "students/roster.yml": ROSTER_TEXT.replace("Ms. Marisol Rivera", SECRET, 1),
    "curriculum/grade-07/g7-test-lesson.md": LESSON.replace("Students research two careers.", SECRET),
    "content/index.md": f"---\ntitle: Home\n---\n# {SECRET}\n",
    "mkdocs.yml": MKDOCS_TEXT.replace("site_name: Harbor View School District ILP", f"site_name: {SECRET}", 1),
}


# --- symlinks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", list(SECRET_FILES))
def test_symlink_to_a_file_outside_is_an_error_and_never_followed(district: District, rel: str) -> None:
    target = outside(district, Path(rel).name, SECRET_FILES[rel])
    replace_with_symlink(district, rel, target)
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, f"{rel}:1: ", "symlink"), output
    assert SECRET not in output
    code, output, out = build(district)
    assert code != 0, output
    assert SECRET not in output
    assert SECRET.encode() not in site_text(out)


def test_artifact_symlink_inside_the_folder_is_an_error(district: District) -> None:
    replace_with_symlink(district, "students/ava/artifacts/copy.svg", "chart.svg")
    district.write("students/ava/self-awareness/copy.md", "---\ntitle: Copy\n---\n![Copy](../artifacts/copy.svg)\n")
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, "students/ava/artifacts/copy.svg:1: ", "symlink"), output
    code, output, out = build(district)
    assert code != 0, output
    assert not (out / "student" / "ava").exists() or "ava" in output


def test_artifact_symlink_outside_the_folder_is_an_error(district: District) -> None:
    target = outside(district, "secret.svg", SECRET_FILES["students/ava/artifacts/chart.svg"])
    replace_with_symlink(district, "students/ava/artifacts/other.svg", target)
    district.write("students/ava/self-awareness/other.md", "---\ntitle: Other\n---\n![Other](../artifacts/other.svg)\n")
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, "students/ava/artifacts/other.svg:1: ", "symlink"), output
    code, output, out = build(district)
    assert code != 0
    assert SECRET.encode() not in site_text(out)


def test_artifact_symlink_to_another_students_file_is_an_error(district: District) -> None:
    district.write("students/ben/artifacts/secret.svg", SECRET_FILES["students/ava/artifacts/chart.svg"])
    replace_with_symlink(district, "students/ava/artifacts/ben.svg", "../../ben/artifacts/secret.svg")
    code, lines, output = check_lines(district, "students/ava")
    assert code == 1, output
    assert has_line(lines, "students/ava/artifacts/ben.svg:1: ", "symlink"), output


def test_a_failed_build_leaves_the_previous_site_alone(district: District) -> None:
    out = district.root.parent / "site"
    out.mkdir()
    (out / "marker.txt").write_text("previous site\n", encoding="utf-8")
    target = outside(district, "framework.yml", SECRET_FILES["curriculum/framework.yml"])
    replace_with_symlink(district, "curriculum/framework.yml", target)
    code, output, _ = build(district, out)
    assert code != 0
    assert "curriculum/framework.yml:1: " in output
    assert sorted(p.name for p in out.iterdir()) == ["marker.txt"]
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".site.building")]


# --- FIFOs and devices --------------------------------------------------------------------------------

FIFOS = [
    "students/ava/goals.yml",
    "curriculum/grade-07/g7-test-lesson.md",
    "content/about.md",
    "students/ava/artifacts/chart.svg",
    "curriculum/framework.yml",
]


@pytest.mark.parametrize("rel", FIFOS)
def test_fifo_never_hangs_a_check(district: District, rel: str) -> None:
    path = district.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    os.mkfifo(path)
    code, lines, output = cli_check(district)
    assert code == 1, output
    assert has_line(lines, f"{rel}:1: "), output


@pytest.mark.parametrize("rel", ["students/ava/goals.yml", "students/ava/artifacts/chart.svg", "content/about.md"])
def test_fifo_never_hangs_a_build(district: District, rel: str) -> None:
    path = district.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    os.mkfifo(path)
    code, output, _ = cli_build(district)
    assert code == 1, output
    assert f"{rel}:1: " in output, output


DEVICES = [
    ("students/ava/artifacts/zero.png", "/dev/zero"),
    ("students/ava/artifacts/null.png", "/dev/null"),
    ("students/ava/artifacts/chart.svg", "/dev/zero"),
    ("students/roster.yml", "/dev/zero"),
    ("students/roster.yml", "/dev/null"),
]


@pytest.mark.parametrize(("rel", "device"), DEVICES)
def test_device_symlink_is_an_error_and_fast(district: District, rel: str, device: str) -> None:
    replace_with_symlink(district, rel, device)
    started = time.monotonic()
    code, lines, output = cli_check(district)
    assert code == 1, output
    assert has_line(lines, f"{rel}:1: ", "symlink"), output
    code, output, _ = cli_build(district)
    assert code == 1, output
    assert f"{rel}:1: " in output, output
    assert time.monotonic() - started < 30


# --- a folder where a file is expected ------------------------------------------------------------------


@pytest.mark.parametrize(
    "rel",
    ["students/ava/goals.yml", "students/ava/profile.yml", "curriculum/framework.yml", "students/roster.yml"],
)
@pytest.mark.parametrize("inside", [False, True], ids=["empty", "with-a-file"])
def test_folder_where_a_file_is_expected(district: District, rel: str, inside: bool) -> None:
    path = district.root / rel
    path.unlink()
    path.mkdir()
    if inside:
        (path / "notes.yml").write_text("a: 1\n", encoding="utf-8")
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_folder_line(lines, f"{rel}:1: "), output


# --- unreadable folders ---------------------------------------------------------------------------------

# Root reads any folder; without the capabilities that let it, a folder with mode 000 stops it too.
DROP_READ_OVERRIDE = ("setpriv", "--bounding-set=-dac_override,-dac_read_search")


def _unreadable_runner() -> tuple[str, ...]:
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("tests run as root and setpriv is missing: chmod 000 does not stop root reading")
    probe = subprocess.run([*DROP_READ_OVERRIDE, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"tests run as root and cannot drop CAP_DAC_OVERRIDE: {probe.stderr!r}")
    return DROP_READ_OVERRIDE


@pytest.mark.parametrize(
    ("folder", "file"),
    [
        ("students/ava/self-awareness", "who-i-am.md"),
        ("content/guides", "start.md"),
        ("curriculum/grade-07", None),
        ("students", None),
    ],
)
def test_unreadable_folder_is_reported(district: District, folder: str, file: str | None) -> None:
    prefix = _unreadable_runner()
    if file is not None:
        district.write(f"{folder}/{file}", "---\ntitle: A page\n---\nText.\n")
    path = district.root / folder
    path.chmod(0)
    try:
        code, stdout, stderr, _ = cli("check", "--root", str(district.root), "--today", TODAY, prefix=prefix)
    finally:
        path.chmod(0o755)
    lines = stdout.splitlines()
    assert code == 1, stdout + stderr
    assert has_line(lines, f"{folder}:1: ", "read"), stdout + stderr


# --- names with control characters and bytes that are not UTF-8 -------------------------------------------

PAGE = b"---\ntitle: A page\n---\nText.\n"
NAMES = [
    # (file to create, as bytes relative to the root; the name as it must be shown)
    (b"students/ava/career-exploration/bad\nname.md", "students/ava/career-exploration/bad\\x0aname.md"),
    (b"students/ava/career-exploration/esc\x1b[31m.md", "students/ava/career-exploration/esc\\x1b[31m.md"),
    (b"students/ava/career-exploration/tab\there.md", "students/ava/career-exploration/tab\\x09here.md"),
    (b"students/ava/career-exploration/latin\xff.md", "students/ava/career-exploration/latin\\xff.md"),
    (b"students/ava/career\nexploration/page.md", "students/ava/career\\x0aexploration/page.md"),
    (b"students/ava/artifacts/x\ry.png", "students/ava/artifacts/x\\x0dy.png"),
    (b"students/ava/goals\x1b.yml", "students/ava/goals\\x1b.yml"),
    (b"students/new\nstudent/profile.yml", "students/new\\x0astudent"),
    (b"students/\xffbad/profile.yml", "students/\\xffbad"),
    (b"students/tab\tbed/profile.yml", "students/tab\\x09bed"),
    (b"content/bad\nname.md", "content/bad\\x0aname.md"),
    (b"content/sub\x1b/page.md", "content/sub\\x1b/page.md"),
    (b"content/\xfe.md", "content/\\xfe.md"),
    (b"curriculum/grade-07/bad\nlesson.md", "curriculum/grade-07/bad\\x0alesson.md"),
    (b"curriculum/grade-07/esc\x1blesson.md", "curriculum/grade-07/esc\\x1blesson.md"),
    (b"curriculum/grade-07/\xfflesson.md", "curriculum/grade-07/\\xfflesson.md"),
]


def write_bytes_path(district: District, rel: bytes, data: bytes) -> None:
    path = os.fsencode(district.root) + b"/" + rel
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


@pytest.mark.parametrize(("rel", "shown"), NAMES, ids=[n[1] for n in NAMES])
def test_name_with_control_character_is_reported_escaped(district: District, rel: bytes, shown: str) -> None:
    write_bytes_path(district, rel, PAGE)
    code, lines, output = cli_check(district)
    assert code == 1, output
    assert has_line(lines, f"{shown}:1: ", "name"), output


@pytest.mark.parametrize(("rel", "shown"), NAMES[:2] + NAMES[7:9] + NAMES[10:11], ids=lambda v: repr(v)[:30])
def test_name_with_control_character_never_crashes_a_build(district: District, rel: bytes, shown: str) -> None:
    write_bytes_path(district, rel, PAGE)
    code, output, out = cli_build(district)
    assert code == 1, output
    assert f"{shown}:1: " in output, output
    for path in out.rglob("*") if out.exists() else []:
        assert not RAW_CONTROL.search(path.name.encode("utf-8", "surrogateescape").decode("latin-1"))


# --- a student folder that is a symlink ---------------------------------------------------------------------


def test_check_of_a_symlinked_student_folder_is_the_same_error_as_a_full_check(district: District) -> None:
    elsewhere = district.root.parent / "elsewhere" / "ava"
    elsewhere.parent.mkdir()
    shutil.move(str(district.root / "students" / "ava"), elsewhere)
    os.symlink(elsewhere, district.root / "students" / "ava")
    full_code, full, full_output = check_lines(district)
    one_code, one, one_output = check_lines(district, "students/ava")
    assert full_code == 1, full_output
    assert has_line(full, "students/ava:1: ", "symlink"), full_output
    assert one_code == 1, one_output
    assert [line for line in one if line.startswith("students/ava")] == [
        line for line in full if line.startswith("students/ava")
    ], one_output


def test_check_of_a_file_in_a_symlinked_student_folder_is_the_same_error(district: District) -> None:
    elsewhere = district.root.parent / "elsewhere" / "ava"
    elsewhere.parent.mkdir()
    shutil.move(str(district.root / "students" / "ava"), elsewhere)
    os.symlink(elsewhere, district.root / "students" / "ava")
    code, lines, output = check_lines(district, "students/ava/goals.yml")
    assert code == 1, output
    assert has_line(lines, "students/ava:1: ", "symlink"), output


# --- sizes ------------------------------------------------------------------------------------------------------


def test_huge_goals_file_is_an_error(district: District) -> None:
    padding = "# " + "x" * 98 + "\n"
    district.write("students/ava/goals.yml", "goals: []\n" + padding * 30_000, dedent=False)  # 3 MB
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, "students/ava/goals.yml:1: ", "MB"), output


@pytest.mark.parametrize("name", ["big.png", "big.svg", "big.pdf"])
def test_huge_artifact_is_an_error_in_check_and_build(district: District, name: str) -> None:
    rel = f"students/ava/artifacts/{name}"
    district.write(rel, b"\x89PNG\r\n\x1a\n" + b"\0" * (30 * 1024 * 1024))
    district.write("students/ava/self-awareness/big.md", f"---\ntitle: Big\n---\n[Big](../artifacts/{name})\n")
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, f"{rel}:1: ", "MB"), output
    code, output, _ = build(district)
    assert code == 1, output
    assert f"{rel}:1: " in output


def test_huge_lesson_and_content_page_are_errors(district: District) -> None:
    big = "---\ntitle: Big\n---\n" + ("word " * 20 + "\n") * 30_000
    district.write("content/big.md", big, dedent=False)
    district.write("curriculum/grade-07/g7-test-lesson.md", LESSON + ("word " * 20 + "\n") * 30_000, dedent=False)
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, "content/big.md:1: ", "MB"), output
    assert has_line(lines, "curriculum/grade-07/g7-test-lesson.md:1: ", "MB"), output


# --- mkdocs.yml options that name paths or are too long -------------------------------------------------------

MKDOCS = """\
site_name: Test district
docs_dir: content
plugins:
  - ilp:
      framework: {framework}
      roster: {roster}
      reference: {reference}
      audiences: {audiences}
      full_access: [student, educator]
      everyone: public
"""
LINES = {"framework": 5, "roster": 6, "reference": 7, "audiences": 8}
DEFAULTS = {
    "framework": "curriculum/framework.yml",
    "roster": "students/roster.yml",
    "reference": "curriculum/reference",
    "audiences": "[student, educator, family, advisory, public]",
}


def write_mkdocs(district: District, **values: str) -> None:
    district.write("mkdocs.yml", MKDOCS.format(**{**DEFAULTS, **values}), dedent=False)


def test_mkdocs_template_is_valid(district: District) -> None:
    write_mkdocs(district)
    code, _lines, output = check_lines(district)
    assert code == 0, output


def _outside_framework(district: District) -> Path:
    return outside(district, "framework.yml", SECRET_FILES["curriculum/framework.yml"])


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("framework", "../outside/framework.yml"),
        ("framework", "OUTSIDE_ABSOLUTE"),
        ("framework", "../../../../../../../../etc/passwd"),
        ("framework", "/etc/passwd"),
        ("framework", "curriculum/../../outside/framework.yml"),
        ("framework", "/dev/zero"),
        ("roster", "../outside/roster.yml"),
        ("roster", "/etc/passwd"),
        ("reference", "../outside/reference"),
        ("reference", "/etc"),
    ],
)
def test_option_naming_a_path_outside_the_repository(district: District, key: str, value: str) -> None:
    _outside_framework(district)
    outside(district, "roster.yml", SECRET_FILES["students/roster.yml"])
    shutil.copytree(district.root / "curriculum" / "reference", district.root.parent / "outside" / "reference")
    if value == "OUTSIDE_ABSOLUTE":
        value = str(district.root.parent / "outside" / "framework.yml")
    write_mkdocs(district, **{key: f'"{value}"'})
    code, lines, output = cli_check(district)
    assert code == 1, output
    assert has_line(lines, f"mkdocs.yml:{LINES[key]}: ", key), output
    assert SECRET not in output
    assert "root:" not in output  # nothing of /etc/passwd
    code, output, out = cli_build(district)
    assert code == 1, output
    assert SECRET not in output
    assert SECRET.encode() not in site_text(out)


@pytest.mark.parametrize(
    ("key", "value"),
    [("framework", "curriculum"), ("framework", "curriculum/reference"), ("roster", "students")],
)
def test_option_naming_a_folder(district: District, key: str, value: str) -> None:
    write_mkdocs(district, **{key: value})
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_folder_line(lines, f"mkdocs.yml:{LINES[key]}: "), output


@pytest.mark.parametrize("key", ["framework", "roster", "reference"])
def test_overlong_path_option(district: District, key: str) -> None:
    write_mkdocs(district, **{key: "a" * 10_000})
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, f"mkdocs.yml:{LINES[key]}: "), output
    assert "a" * 1000 not in output  # the value is not echoed in full


def test_overlong_nested_path_option(district: District) -> None:
    write_mkdocs(district, framework="/".join(["abcdefgh"] * 1200))  # 10,800 characters, short parts
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, f"mkdocs.yml:{LINES['framework']}: "), output


def test_overlong_schema_base_option(district: District) -> None:
    district.write("mkdocs.yml", MKDOCS.format(**DEFAULTS) + f"      schema_base: {'s' * 10_000}\n", dedent=False)
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, "mkdocs.yml:11: ", "schema_base"), output


def test_overlong_site_name(district: District) -> None:
    district.write("mkdocs.yml", MKDOCS.format(**DEFAULTS).replace("Test district", "n" * 10_000), dedent=False)
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, "mkdocs.yml:1: ", "site_name"), output


def test_audience_list_of_a_thousand_names(district: District) -> None:
    names = ["student", "educator", "family", "advisory", "public", *[f"group{i}" for i in range(995)]]
    write_mkdocs(district, audiences="[" + ", ".join(names) + "]")
    code, lines, output = cli_check(district, timeout=60)
    assert code == 1, output
    assert has_line(lines, f"mkdocs.yml:{LINES['audiences']}: ", "audience"), output


def test_long_audience_name(district: District) -> None:
    write_mkdocs(district, audiences=f"[student, educator, family, advisory, public, {'g' * 10_000}]")
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, f"mkdocs.yml:{LINES['audiences']}: "), output


# --- the framework's calendar ------------------------------------------------------------------------------------

CALENDAR_AT = FRAMEWORK_TEXT.index("calendar:")
TERMS_AT = FRAMEWORK_TEXT.index("terms:", CALENDAR_AT)


def _calendar_case(key: str, bad: str) -> tuple[str, int]:
    """The framework text with the calendar's `key` set to `bad`, and the line of that value."""
    if key.startswith("term"):
        index = int(key[4:])
        at = TERMS_AT
        for _ in range(index + 1):
            at = FRAMEWORK_TEXT.index("start: ", at + 1)
    else:
        at = FRAMEWORK_TEXT.index(f"{key}: ", CALENDAR_AT)
    end = FRAMEWORK_TEXT.index("\n", at)
    name = FRAMEWORK_TEXT[at:end].split(":")[0]
    text = FRAMEWORK_TEXT[:at] + f'{name}: "{bad}"' + FRAMEWORK_TEXT[end:]
    return text, line_of(FRAMEWORK_TEXT, FRAMEWORK_TEXT[at:end], at)


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("start", "02-30"),
        ("start", "13-01"),
        ("start", "00-10"),
        ("mid_year", "04-31"),
        ("end", "06-31"),
        ("end", "02-31"),
        ("term0", "13-01"),
        ("term0", "02-30"),
        ("term1", "11-31"),
        ("term1", "09-00"),
    ],
)
def test_impossible_calendar_day_is_an_error_at_its_line(district: District, key: str, bad: str) -> None:
    text, line = _calendar_case(key, bad)
    district.write("curriculum/framework.yml", text, dedent=False)
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, f"curriculum/framework.yml:{line}: "), output
    code, output, _ = build(district)
    assert code == 1, output
    assert f"curriculum/framework.yml:{line}: " in output


def test_calendar_day_that_is_not_text(district: District) -> None:
    text, line = _calendar_case("term1", "x")
    text = text.replace('start: "x"', "start: 2026-01-21")  # a date where MM-DD is expected
    district.write("curriculum/framework.yml", text, dedent=False)
    code, lines, output = check_lines(district)
    assert code == 1, output
    assert has_line(lines, f"curriculum/framework.yml:{line}: "), output


# --- Markdown that is pathological for a parser -------------------------------------------------------------------

PATHOLOGICAL = {
    "brackets": "[" * 10_000,
    "images": "![" * 5_000,
    "quotes": "> " * 2_000 + "deep",
    "quote-lines": "".join(">" * i + " x\n" for i in range(1, 2_001)),
    "lists": "".join("  " * i + "- x\n" for i in range(2_000)),
    "emphasis": "*a **" * 2_000,
    "links": "[a](" * 2_500,
    "backticks": "`" * 5_000 + "a" + "``" * 2_000,
    "many-bracket-lines": ("[" * 9_000 + "\n") * 8,
    "html": "<div>" * 2_000,
}


@pytest.mark.parametrize("kind", list(PATHOLOGICAL))
def test_pathological_markdown_is_checked_and_built_in_time(district: District, kind: str) -> None:
    rel = "students/ava/self-awareness/odd.md"
    district.write(rel, "---\ntitle: Odd\n---\n" + PATHOLOGICAL[kind] + "\n", dedent=False)
    code, stdout, stderr, seconds = cli("check", "--root", str(district.root), "--today", TODAY, timeout=20)
    assert code in (0, 1), stdout + stderr
    assert seconds < 10, f"ilp check took {seconds:.1f} s"
    for line in stdout.splitlines():
        assert re.match(r"^[^:]+:\d+: ", line), line
    if code == 1:
        assert has_line(stdout.splitlines(), f"{rel}:"), stdout
    out = district.root.parent / "site"
    code, stdout, stderr, seconds = cli(
        "build", "--root", str(district.root), "--out", str(out), "--today", TODAY, timeout=60
    )
    assert code in (0, 1), stdout + stderr
    assert seconds < 20, f"ilp build took {seconds:.1f} s"


@pytest.mark.parametrize(
    "unit",
    ["[" * 9_000 + "\n", "![" * 4_500 + "\n", "*a **" * 1_800 + "\n", "[a](" * 2_250 + "\n"],
    ids=["brackets", "images", "emphasis", "links"],
)
def test_pathological_markdown_takes_linear_time(district: District, unit: str) -> None:
    """`ilp check` of a page four times as long takes at most about four times as long (with slack)."""
    rel = "students/ava/self-awareness/odd.md"
    times = []
    for repeat in (2, 8):
        district.write(rel, "---\ntitle: Odd\n---\n" + unit * repeat, dedent=False)
        *_, seconds = cli("check", "--root", str(district.root), "--today", TODAY, timeout=120)
        times.append(seconds)
    assert times[1] < 4 * times[0] + 3, f"2 lines: {times[0]:.1f} s, 8 lines: {times[1]:.1f} s"
