"""`ilp check --format github|gitlab`: the problems where students edit, and the sample CI jobs that use them."""

from __future__ import annotations

import json
import re
import shlex
from urllib.parse import unquote

import click
import yaml

from generator.cli import main
from generator.commands.check_formats import escape_data, escape_property, github_command
from generator.errors import Diagnostic
from tests.conftest import LESSON as TEST_LESSON
from tests.conftest import REPO, District

BAD_CODE = (
    "unknown ASCA code 'B-LS 77' (did you mean 'B-LS 7'?) in the 2021 edition "
    "(codes look like 'M 3', 'B-LS 7', 'B-SMS 6', 'B-SS 8')"
)
LESSON = "curriculum/grade-07/g7-test-lesson.md"
PAST_GRADE = (
    "4 required activities of past grades have no evidence: grade 6: All about me (g6-all-about-me), "
    "First interest inventory (g6-interest-inventory), Exploring the career clusters (g6-career-clusters), "
    "My first SMART goals (g6-first-goals)"
)
COMMAND = re.compile(r"::(error|warning|notice) ([^:]*)::(.*)")


def _broken(district: District, code: str = "B-LS 77") -> None:
    """One error (the lesson's line 5) besides the fixture's warning (past grades, profile.yml line 2)."""
    district.write(LESSON, TEST_LESSON.replace("B-LS 7]", f"{code}]"), dedent=False)


def _annotations(stdout: str) -> list[tuple[str, dict[str, str], str]]:
    """(level, properties, message) of each workflow command, unescaped as the runner reads them."""
    found = []
    for line in stdout.splitlines():
        match = COMMAND.fullmatch(line)
        assert match is not None, f"not a workflow command: {line!r}"
        properties = dict(item.split("=", 1) for item in match.group(2).split(","))
        found.append((match.group(1), {k: unquote(v) for k, v in properties.items()}, unquote(match.group(3))))
    return found


def test_github_annotations_for_errors_and_warnings(district: District) -> None:
    _broken(district)
    result = district.check(extra=("--format", "github"))
    assert result.exit_code == 1
    annotations = _annotations(result.stdout)
    assert ("error", {"file": LESSON, "line": "5", "title": "ilp check"}, BAD_CODE) in annotations
    assert ("warning", {"file": "students/ava/profile.yml", "line": "2", "title": "ilp check"}, PAST_GRADE) in (
        annotations
    )
    assert result.stdout.splitlines()[0] == (
        f"::error file={LESSON},line=5,title=ilp check::{BAD_CODE}"  # ':' and ',' stay as they are in the message
    )
    assert "ilp check: 1 error, 1 warning (1 student, 1 lesson)" in result.stderr


def test_github_warnings_alone_pass_unless_strict(district: District) -> None:
    result = district.check(extra=("--format", "github"))
    assert result.exit_code == 0, result.output
    assert [level for level, _, _ in _annotations(result.stdout)] == ["warning"]
    assert district.check(extra=("--format", "github", "--strict")).exit_code == 1


def test_github_progress_is_a_notice(district: District) -> None:
    result = district.check(extra=("--format", "github", "--progress"))
    notices = [message for level, _, message in _annotations(result.stdout) if level == "notice"]
    assert (
        "grade 7 (this year): 3 required activities have no evidence yet: How I learn best (g7-learning-styles), "
        "Goal check-in (g7-goal-review), Skills showcase (g7-skills-showcase)" in notices
    )
    assert result.exit_code == 0  # progress is no problem


def test_github_escapes_the_path_and_the_message(district: District) -> None:
    district.write("students/ava/artifacts/odd, name: 100%.png", b"\x89PNG\r\n")
    result = district.check(extra=("--format", "github"))
    odd = [line for line in result.stdout.splitlines() if "odd" in line]
    assert odd == [
        "::warning file=students/ava/artifacts/odd%2C name%3A 100%25.png,line=1,title=ilp check::"
        "artifact is not linked from any page, so no portfolio shows it; link it from a page"
    ]


def test_workflow_command_escaping() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    line = github_command(Diagnostic("students/ava/x.md", 0, "two\nlines", "error"))
    assert line == "::error file=students/ava/x.md,line=1,title=ilp check::two%0Alines"


def test_gitlab_code_quality_report(district: District) -> None:
    _broken(district)
    result = district.check(extra=("--format", "gitlab"))
    assert result.exit_code == 1
    report = json.loads(result.stdout)  # standard output is the report alone
    assert isinstance(report, list)
    assert len(report) == 2
    by_severity = {issue["severity"]: issue for issue in report}
    error, warning = by_severity["major"], by_severity["minor"]
    assert error["description"] == BAD_CODE
    assert error["location"] == {"path": LESSON, "lines": {"begin": 5}}
    assert warning["description"] == PAST_GRADE
    assert warning["location"] == {"path": "students/ava/profile.yml", "lines": {"begin": 2}}
    for issue in report:
        assert issue["check_name"] == "ilp-check"
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    assert error["fingerprint"] != warning["fingerprint"]
    assert "ilp check: 1 error, 1 warning" in result.stderr


def test_gitlab_fingerprints_are_stable_and_follow_the_problem(district: District) -> None:
    _broken(district)
    first = json.loads(district.check(extra=("--format", "gitlab")).stdout)
    again = json.loads(district.check(extra=("--format", "gitlab")).stdout)
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in again]
    _broken(district, "B-LS 78")
    moved = {i["fingerprint"] for i in json.loads(district.check(extra=("--format", "gitlab")).stdout)}
    assert {i["fingerprint"] for i in first if i["severity"] == "minor"} <= moved  # the warning is the same one
    assert not {i["fingerprint"] for i in first if i["severity"] == "major"} & moved  # the error changed


def test_gitlab_report_of_a_clean_district_is_an_empty_list(district: District) -> None:
    profile = (district.root / "students/ava/profile.yml").read_text(encoding="utf-8")
    district.write("students/ava/profile.yml", profile + "joined:\n  date: 2026-08-27\n  grade: 7\n", dedent=False)
    result = district.check(extra=("--format", "gitlab", "--strict"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def _ci_page() -> str:
    return (REPO / "content" / "continuous-integration.md").read_text(encoding="utf-8")


def _yaml_blocks() -> list[object]:
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", _ci_page(), re.S)]


def _ilp_commands(text: str) -> list[list[str]]:
    """Each `ilp ...` command line in a shell command, as words (up to a redirection or `||`)."""
    found = []
    for match in re.finditer(r"[\w/\"$]*ilp\"? (check|build)\b([^>|'\n]*)", text):
        found.append([match.group(1), *shlex.split(match.group(2).replace('"', ""))])
    return found


def _options(name: str) -> set[str]:
    command = main.commands[name]
    return {opt for p in command.params if isinstance(p, click.Option) for opt in p.opts}


def test_sample_github_workflow_checks_with_annotations_then_builds() -> None:
    workflow = next(b for b in _yaml_blocks() if isinstance(b, dict) and "jobs" in b)
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[0]["with"]["fetch-depth"] == 0  # the whole history
    runs = [step["run"] for step in steps if "run" in step]
    assert 'pip" install ilp-portfolio' in runs[0]
    commands = [c for run in runs for c in _ilp_commands(run)]
    assert commands[0][:1] == ["check"]
    assert {"--strict", "--format", "github"} <= set(commands[0])
    assert commands[-1][0] == "build"
    for words in commands:
        assert {w for w in words if w.startswith("--")} <= _options(words[0]), words


def test_sample_gitlab_job_uploads_the_code_quality_report() -> None:
    pipeline = next(b for b in _yaml_blocks() if isinstance(b, dict) and "ilp-check" in b)
    job = pipeline["ilp-check"]
    assert job["variables"]["GIT_DEPTH"] == 0
    assert job["artifacts"] == {"when": "always", "reports": {"codequality": "gl-code-quality-report.json"}}
    check_line = next(line for line in job["script"] if "--format gitlab" in line)
    assert "> gl-code-quality-report.json" in check_line
    commands = [c for line in job["script"] for c in _ilp_commands(line)]
    assert [c[0] for c in commands] == ["check", "check", "build"]
    for words in commands:
        assert {w for w in words if w.startswith("--")} <= _options(words[0]), words


def test_readme_and_index_point_to_the_page() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for fmt in ("github", "gitlab"):
        assert f"--format {fmt}" in readme
        assert f"--format {fmt}" in _ci_page()
    assert "content/continuous-integration.md" in readme
    assert "(continuous-integration.md)" in (REPO / "content" / "index.md").read_text(encoding="utf-8")
