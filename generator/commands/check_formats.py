"""How `ilp check` prints what it found: text, JSON, GitHub workflow commands or a GitLab code quality report.

Every format carries the same diagnostics (path relative to the repository root, 1-based line,
severity, message); only the shape differs:

- ``text``: ``path:line: message``, one a line (warnings and progress marked), for people.
- ``json``: ``{"diagnostics": [...], "summary": {...}}``, for tools.
- ``github``: GitHub Actions workflow commands (``::error file=...,line=...,title=ilp check::...``), which
  GitHub shows as annotations on those lines of a pull request and of the commit.
- ``gitlab``: a GitLab Code Quality report (a JSON array), which a CI job uploads as its
  ``codequality`` report artifact and GitLab shows in the merge request.

The summary line goes to standard error in every format but ``json``, so standard output holds only
the diagnostics (and can be redirected to a report file).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from generator.errors import Diagnostic

FORMATS = ("text", "json", "github", "gitlab")
TITLE = "ilp check"

# GitHub's annotation levels and GitLab's severities (info, minor, major, critical, blocker).
GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


@dataclass(frozen=True)
class Counts:
    """What one run found and covered."""

    errors: int
    warnings: int
    students: int
    lessons: int

    def summary(self) -> str:
        return (
            f"ilp check: {_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')} "
            f"({_plural(self.students, 'student')}, {_plural(self.lessons, 'lesson')})"
        )

    def as_json(self) -> dict[str, int]:
        return {"errors": self.errors, "warnings": self.warnings, "students": self.students, "lessons": self.lessons}


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'s' * (number != 1)}"


def render(diagnostics: Sequence[Diagnostic], fmt: str, counts: Counts) -> tuple[str, str | None]:
    """(standard output, the summary for standard error or None) for `fmt`, one of FORMATS."""
    if fmt == "json":
        payload = {"diagnostics": [d.as_json() for d in diagnostics], "summary": counts.as_json()}
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n", None
    if fmt == "github":
        return "".join(github_command(d) + "\n" for d in diagnostics), counts.summary()
    if fmt == "gitlab":
        report = [gitlab_issue(d) for d in diagnostics]
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n", counts.summary()
    return "".join(d.format() + "\n" for d in diagnostics), counts.summary()


def escape_data(text: str) -> str:
    """A workflow command's message, as GitHub's toolkit escapes it (so it stays on one line)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ':' and ',', which end a value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(diagnostic: Diagnostic) -> str:
    """`::error file=PATH,line=N,title=ilp check::MESSAGE` (`::warning`, `::notice` for progress)."""
    level = GITHUB_LEVEL[diagnostic.severity]
    properties = ",".join(
        f"{name}={escape_property(value)}"
        for name, value in (("file", diagnostic.path), ("line", str(max(diagnostic.line, 1))), ("title", TITLE))
    )
    return f"::{level} {properties}::{escape_data(diagnostic.message)}"


def fingerprint(diagnostic: Diagnostic) -> str:
    """Stable across runs while the problem stays: the same file, line and message give the same one."""
    import hashlib  # only the gitlab format needs it: not loaded on every `ilp` start

    key = "\0".join((diagnostic.path, str(diagnostic.line), diagnostic.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def gitlab_issue(diagnostic: Diagnostic) -> dict[str, object]:
    """One entry of GitLab's Code Quality report (a subset of the Code Climate issue format)."""
    return {
        "description": diagnostic.message,
        "check_name": "ilp-check",
        "fingerprint": fingerprint(diagnostic),
        "severity": GITLAB_SEVERITY[diagnostic.severity],
        "location": {"path": diagnostic.path, "lines": {"begin": max(diagnostic.line, 1)}},
    }
