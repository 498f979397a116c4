"""The district a student folder is checked against: options, framework, reference data, roster, lessons."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from generator.check.framework import build_framework, build_reference, build_roster
from generator.check.lessons import build_lessons
from generator.check.options import load_options
from generator.config import Options
from generator.errors import Report
from generator.load.folders import lesson_files
from generator.model import Educator, Framework, Lesson, Reference


@dataclass(frozen=True)
class District:
    """What a student folder is checked against."""

    options: Options
    framework: Framework | None
    reference: Reference | None
    roster: dict[str, Educator] | None
    lessons: dict[str, Lesson]
    today: datetime.date
    # While checking a student whose record came from a district with another framework (profile
    # `joined: framework:`): that framework's id. Its activities and checklist items are warnings there.
    foreign: str | None = None
    joined: str | None = None  # that student's joined date: reviews before it may name the old district's staff

    @property
    def complete(self) -> bool:
        """Whether the framework, reference data and roster all loaded."""
        return self.framework is not None and self.reference is not None and self.roster is not None


def load_district(
    root: Path, today: datetime.date | None = None, lesson_bodies: bool = True
) -> tuple[District, Report, Report]:
    """The district of `root`, the problems of its configuration, framework, reference data and
    roster, and (apart) the problems of its lessons.

    Without `lesson_bodies`, the lessons' bodies are not read (see `build_lessons`): for a caller that
    needs only which lessons there are, never their text or the problems of their bodies."""
    report, lesson_report = Report(), Report()
    options, problems, lines = load_options(root)
    report.extend(problems)
    framework = build_framework(root, options, report, lines)
    reference = build_reference(root, options, report, lines)
    roster = build_roster(root, options, report, lines)
    files = lesson_files(root, lesson_report)
    lessons = build_lessons(root, files, framework, reference, options, lesson_report, lesson_bodies)
    return District(options, framework, reference, roster, lessons, today or options.today()), report, lesson_report
