"""The conference deck's goals chart: where each of the year's goals stood at the start of the
year, at mid-year and now, as inline SVG with its figures as text (pure).

Drawn like the dashboard's charts (`generator.render.charts`, with the builder of
`generator.render.svg`): an `<svg role="img">` with a `<title>` and a `<desc>` that says every goal's
words, then the same as a table with each goal's statement in full. Each cell carries its words
("On track", "Achieved") above a track filled as far as the goal had come, so nothing relies on the
bar or on colour. Only the goals and the change record of one audience's view are read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.history.record import Record, as_of
from generator.i18n import N_, _
from generator.markdown.text import clean_text
from generator.render.svg import BAR, OUTLINE, el, empty_note, figure, figures_table, svg_root, svg_text

WIDTH = 320  # viewBox units, as the dashboard's charts


# Where a goal stands on a day, and how far along the track it draws (out of 4).
PROGRESS: dict[str, tuple[str, int]] = {
    "not-set": (N_("Not set yet"), 0),
    "not-started": (N_("Not started"), 1),
    "in-progress": (N_("In progress"), 2),
    "behind": (N_("Behind"), 2),
    "revised": (N_("Revised"), 2),
    "on-track": (N_("On track"), 3),
    "achieved": (N_("Achieved"), 4),
    "dropped": (N_("Dropped"), 0),
}
CLOSED = ("achieved", "dropped")


@dataclass(frozen=True)
class GoalProgress:
    """One goal on the goals chart: its statement (plain text) and where it stood on each day."""

    statement: str
    points: tuple[str | None, ...]  # a PROGRESS key at the start of the year, mid-year and now; None: not yet


def _day(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def progress_on(goal: dict[str, Any], day: datetime.date, as_it_stood: bool) -> str:
    """Where `goal` stood on `day`, from its `set` date and its reviews up to that day.

    `as_it_stood`: `goal` is the version of that day (its status counts); otherwise it is a later
    version, of which only what is dated counts.
    """
    set_day = _day(goal.get("set", ""))
    if set_day is not None and set_day > day:
        return "not-set"
    status = str(goal.get("status", ""))
    if as_it_stood and status in CLOSED:
        return status
    reviews = [
        (found, str(review["progress"]))
        for review in goal.get("reviews") or []
        if isinstance(review, dict) and review.get("progress") in PROGRESS
        for found in [_day(review.get("date", ""))]
        if found is not None and found <= day
    ]
    if reviews:
        return max(reviews, key=lambda review: review[0])[1]
    return "not-started" if status == "not-started" else "in-progress"


def goal_progress(
    goals: Iterable[dict[str, Any]],
    record: Record | None,
    days: tuple[datetime.date, datetime.date],
    today: datetime.date,
) -> list[GoalProgress]:
    """The year's goals (open ones, and those closed since `days[0]`, the year's first day) at the start of
    the year, at mid-year (`days[1]`) and today.

    A past day reads the goal as the change record has it on that day; where the record has no version
    of that day (no history, or the goal was written down later), the goal's own `set` date and dated
    reviews say where it stood. `goals` and `record` are one audience's: nothing else is read.
    """
    start, middle = days
    found = []
    for goal in goals:
        versions = record.goal_versions.get(str(goal.get("id", "")), ()) if record and record.available else ()
        if str(goal.get("status", "")) in CLOSED:
            dated = [_day(r.get("date", "")) for r in goal.get("reviews") or [] if isinstance(r, dict)]
            closed = max([d for d in dated if d is not None] + [v.day for v in versions[-1:]], default=None)
            if closed is not None and closed < start:
                continue
        points: list[str | None] = []
        for day in (start, middle):
            if day > today:
                points.append(None)
                continue
            version = as_of(versions, day)
            if version is not None and version.valid:
                points.append(progress_on(version.goal, day, True))
            else:
                points.append(progress_on(goal, day, False))
        points.append(progress_on(goal, today, True))
        found.append(GoalProgress(clean_text(goal.get("statement", "")), tuple(points)))
    return found


GOAL_COLUMNS = (N_("Start of the year"), N_("Mid-year"), N_("Now"))
GOAL_SHORT = (N_("Start"), N_("Mid-year"), N_("Now"))  # the chart's column heads (the table has the long ones)
GOAL_ROW, GOAL_HEAD, GOAL_LABEL_W = 34, 22, 54


def _words(goal: GoalProgress) -> list[str]:
    return [_(PROGRESS[point][0]) if point is not None else _("Not yet") for point in goal.points]


def _label(number: int) -> str:
    return _("Goal {number}").format(number=number)


def title() -> str:
    return _("Where my goals stood: the start of the year, mid-year and now")


def goals_svg(goals: list[GoalProgress]) -> str:
    """The chart: one row per goal, a column for each day, each cell a track filled as far as the goal
    had come, with its words above it. Its `<desc>` says the same in words."""
    columns = [_(column) for column in GOAL_COLUMNS]
    cell = (WIDTH - GOAL_LABEL_W - 4) / len(columns)
    heads = [_(column) for column in GOAL_SHORT]
    body = [svg_text(GOAL_LABEL_W + cell * c + 2, 14, head, size=11, cls="column") for c, head in enumerate(heads)]
    facts = []
    for g, goal in enumerate(goals):
        y = GOAL_HEAD + g * GOAL_ROW
        body.append(svg_text(4, y + 26, _label(g + 1), size=12))
        words = _words(goal)
        for c, point in enumerate(goal.points):
            x = GOAL_LABEL_W + cell * c + 2
            body.append(svg_text(x, y + 12, words[c], size=11, cls="value"))
            track: dict[str, str | float] = {"x": x, "y": y + 17, "width": cell - 8, "height": 12}
            outline: dict[str, str | float] = {"stroke": OUTLINE, "stroke-width": 1}
            share = PROGRESS[point][1] / 4 if point is not None else 0.0
            body.append(el("rect", {"class": "track", **track, "fill": "#ffffff", **outline}))
            body.append(el("rect", {"class": "bar", **track, "width": (cell - 8) * share, "fill": BAR, **outline}))
        facts.append(
            _("{goal}: {statement} ({first}: {start}; {second}: {middle}; {third}: {now})").format(
                goal=_label(g + 1),
                statement=goal.statement,
                first=columns[0],
                start=words[0],
                second=columns[1],
                middle=words[1],
                third=columns[2],
                now=words[2],
            )
        )
    return svg_root(title(), " ".join(facts), WIDTH, GOAL_HEAD + len(goals) * GOAL_ROW + 2, "".join(body))


def goals_figure(goals: list[GoalProgress], chart: str, prefix: str = "deck") -> str:
    """The figure: its caption, `chart` (the SVG, or a placeholder the page puts it in) and the table of
    the same figures, every goal's statement in full."""
    if not goals:
        return figure(prefix, "goals", title(), empty_note(_("No goals to show yet.")))
    columns = tuple(_(column) for column in GOAL_COLUMNS)
    rows = [
        (_("{goal}: {statement}").format(goal=_label(g + 1), statement=goal.statement), *_words(goal))
        for g, goal in enumerate(goals)
    ]
    return figure(prefix, "goals", title(), chart + figures_table(title(), (_("Goal"), *columns), rows))
