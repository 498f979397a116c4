"""Checks of single fields that several student files share: activity ids, dates not in the future."""

from __future__ import annotations

import datetime
import re
from typing import Any

from generator.check.district import District
from generator.errors import Report, did_you_mean
from generator.model.source import Doc

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_activity(
    doc: Doc, at: tuple[str | int, ...], activity: str | None, district: District, report: Report
) -> None:
    if not isinstance(activity, str) or district.framework is None:
        return
    known = district.framework.activities
    if activity not in known and district.foreign is not None:
        report.warning(
            doc.path,
            doc.line(at),
            f"activity '{activity}' is from the {district.foreign} framework this record came from; this district's "
            f"framework ({district.framework.id}) does not use it, so it counts for no requirement here",
        )
    elif activity not in known:
        report.error(
            doc.path,
            doc.line(at),
            f"unknown activity '{activity}'{did_you_mean(activity, known)}; see the framework's activities",
        )


def check_not_future(doc: Doc, at: tuple[str | int, ...], value: Any, district: District, report: Report) -> None:
    if not (isinstance(value, str) and DATE.match(value)):
        return
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return  # not a real date: reported where it was read
    if day > district.today:
        report.warning(doc.path, doc.line(at), f"date {value} is in the future")
