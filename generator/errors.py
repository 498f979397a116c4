"""Source locations, diagnostics and the error type the command line shows.

Every problem a user can cause is a :class:`Diagnostic`: a path relative to the
repository root, a 1-based line, a severity and a message that says what is
wrong and how to fix it. Stages collect diagnostics in a :class:`Report` rather
than stopping at the first one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import click

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, at one place."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}: {prefix}{self.message}"

    def as_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "severity": self.severity, "message": self.message}


@dataclass
class Report:
    """Diagnostics collected by one or more stages."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, message, "error"))

    def warning(self, path: str, line: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, message, "warning"))

    def info(self, path: str, line: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, message, "info"))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.items.extend(items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def has_errors_under(self, prefix: str) -> bool:
        return any(d.severity == "error" and d.path.startswith(prefix) for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """Sorted by path, line and severity, in the order found; duplicates removed."""
        unique = list(dict.fromkeys(self.items))
        return sorted(unique, key=lambda d: (d.path, d.line, SEVERITY_ORDER[d.severity]))


class IlpError(click.ClickException):
    """A problem that stops a command: shown as one clean line, exit code 1."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to the word, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def expected(choices: Iterable[str]) -> str:
    """'(expected: a, b, c)' listing every choice, sorted: a message never cuts the list short."""
    return f"(expected: {', '.join(sorted(set(choices), key=str))})"
