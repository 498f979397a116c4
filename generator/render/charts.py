"""The educator dashboard's charts and the conference deck's goals chart, drawn at build time as inline SVG (pure).

The dashboard's three figures: required activities completed by grade, goal reviews on time / due /
overdue, and the changes students made month by month over the school year. The conference deck's
goals chart (`generator.render.goals_chart`) is drawn with the same builder. Each is an `<svg role="img">` with
a `<title>` and a `<desc>` that states every figure, followed by the same figures in a table. Bars
carry their numbers as direct labels and the review bars differ by pattern as well as colour, so
nothing relies on colour alone and a black-and-white print reads the same; all text is black. A
`viewBox` with `width="100%"` lets a chart shrink to a 390 px screen.

Why our own small SVG builder rather than a charting library (evaluated: pygal 3.1.3, leather 0.4.1):

- pygal embeds a `<script>` that loads pygal-tooltips.min.js from kozea.github.io unless told
  `js=[]`; even then every chart gets a random `id="chart-<uuid4>"` and a comment with the day it
  was drawn, so the same input does not give the same bytes; its look lives in an embedded
  `<style>` keyed to that id, which our HTML sanitizer removes; it writes no `role` and no
  summary of the figures.
- leather is deterministic but writes a DOCTYPE pointing at the W3C's DTD (which our SVG reader
  refuses), a fixed 800x600 size with no `viewBox`, no title, description or role, and no value
  labels.
- What we need is small: bars, labels, two patterns (about 150 lines below). Written here, it
  uses only the SVG elements and attributes that `generator.sanitize` already allows, no script,
  no style sheet, no font and nothing from another host; numbers are formatted by hand and month
  names come from a fixed table (translated by the site's catalog, not the machine's locale), so
  the output is byte-for-byte reproducible. The builder itself is `generator.render.svg`.

Every text that goes into the markup is escaped with `html.escape`. The dashboard builds a
`ChartData` with `activity_by_month`, `student_change_days`, `review_counts` and
`school_year_start`; `charts_html` turns it into one `<section class="dashboard-charts">`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

from generator.history.record import Record, ReviewState, year_start
from generator.i18n import N_, _
from generator.model import Calendar
from generator.model.schoolyear import school_year
from generator.render.svg import BAR, OUTLINE, el, empty_note, figure, figures_table, svg_root, svg_text

MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
SHORT_MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)

WIDTH = 320  # viewBox units; the CSS scales the chart to its column (text 14 units: about 15 px at 390 px)
DUE = "#8a4b00"
OVERDUE = "#8b1a1a"

# Horizontal bars: each row is a line of text (label left, number right) over a full-width track.
ROW, TEXT_Y, BAR_Y, BAR_H, TOP = 46, 15, 21, 16, 4
TRACK_X, TRACK_W = 4, WIDTH - 8
PLOT_TOP, PLOT_H, SLOT_MIN = 22, 120, 25  # vertical bars


@dataclass(frozen=True)
class ChartData:
    """The dashboard's figures for one caseload."""

    completion: list[tuple[int, int, int]]  # (grade, done, total) required activities
    reviews: tuple[int, int, int]  # open goals: reviewed on time, due for review, overdue (disjoint)
    activity: list[tuple[str, int]]  # ("2026-09", changes made by students that month), oldest first


# --- Building the data ------------------------------------------------------------------------


def school_year_start(today: datetime.date, calendar: Calendar) -> datetime.date:
    """The first day of the school year `today` belongs to (in summer: of the one about to start)."""
    return year_start(school_year(today, calendar), calendar)


def student_change_days(records: Iterable[Record]) -> list[datetime.date]:
    """The day of every change a student made to their own folder, from their change records."""
    return [
        entry.commit.day
        for record in records
        if record.available
        for entry in record.entries
        if entry.role == "student"
    ]


def review_counts(states: Iterable[ReviewState]) -> tuple[int, int, int]:
    """(on time, due, overdue) for open goals: overdue wins over due, as in `review_states`."""
    on_time = due = overdue = 0
    for state in states:
        if state.overdue:
            overdue += 1
        elif state.due:
            due += 1
        else:
            on_time += 1
    return on_time, due, overdue


def _month_key(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def activity_by_month(
    entries_dates: Iterable[datetime.date], start: datetime.date, today: datetime.date
) -> list[tuple[str, int]]:
    """How many of `entries_dates` fall in each month from `start`'s month to `today`'s, oldest first.

    Days before `start` or after `today` are not counted; every month in between is listed, with 0
    where nothing happened. Empty when `today` is before `start`. Datetimes count by their own day.
    """
    if today < start:
        return []
    counts: dict[str, int] = {}
    year, month = start.year, start.month
    while (year, month) <= (today.year, today.month):
        counts[f"{year:04d}-{month:02d}"] = 0
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for day in entries_dates:
        if isinstance(day, datetime.datetime):
            day = day.date()
        if start <= day <= today:
            counts[_month_key(day)] += 1
    return list(counts.items())


# --- Markup -----------------------------------------------------------------------------------


def _patterns(prefix: str) -> str:
    """Hatching for 'due' (one diagonal) and 'overdue' (crossed), so print tells them apart without colour."""
    due = el("rect", {"width": 6, "height": 6, "fill": "#ffffff"}) + el(
        "path", {"d": "M-1,1 L1,-1 M0,6 L6,0 M5,7 L7,5", "stroke": DUE, "stroke-width": 2}
    )
    overdue = el("rect", {"width": 6, "height": 6, "fill": "#ffffff"}) + el(
        "path",
        {
            "d": "M-1,1 L1,-1 M0,6 L6,0 M5,7 L7,5 M-1,5 L1,7 M0,0 L6,6 M5,-1 L7,1",
            "stroke": OVERDUE,
            "stroke-width": 1.5,
        },
    )
    common: dict[str, str | float] = {"patternUnits": "userSpaceOnUse", "width": 6, "height": 6}
    return el(
        "defs",
        {},
        el("pattern", {"id": f"{prefix}-due", **common}, due)
        + el("pattern", {"id": f"{prefix}-overdue", **common}, overdue),
    )


@dataclass(frozen=True)
class _HBar:
    label: str
    value: int
    maximum: int  # the track's full length stands for this
    caption: str  # the number written after the track
    fill: str


def _hbars(title: str, desc: str, bars: list[_HBar], defs: str = "") -> str:
    """One row per bar: its label and its number above a track for the maximum, filled up to the value."""
    body = [defs]
    for i, bar in enumerate(bars):
        y = TOP + i * ROW
        share = min(bar.value, bar.maximum) / bar.maximum if bar.maximum > 0 else 0.0
        body.append(svg_text(TRACK_X, y + TEXT_Y, bar.label, size=14))
        body.append(svg_text(TRACK_X + TRACK_W, y + TEXT_Y, bar.caption, anchor="end", size=14, cls="value"))
        track: dict[str, str | float] = {"x": TRACK_X, "y": y + BAR_Y, "width": TRACK_W, "height": BAR_H}
        outline: dict[str, str | float] = {"stroke": OUTLINE, "stroke-width": 1}
        body.append(el("rect", {"class": "track", **track, "fill": "#ffffff", **outline}))
        body.append(el("rect", {"class": "bar", **track, "width": TRACK_W * share, "fill": bar.fill, **outline}))
    return svg_root(title, desc, WIDTH, TOP + (len(bars) - 1) * ROW + BAR_Y + BAR_H + 4, "".join(body))


def _percent(done: int, total: int) -> int:
    """Whole percent, rounded down: 100% only when everything is done."""
    return min(done, total) * 100 // total


def month_label(key: str) -> str:
    """'2026-09' -> 'September 2026'."""
    year, month = key.split("-")
    return _("{month} {year}").format(month=_(MONTHS[int(month) - 1]), year=int(year))


def _short_month(month: int) -> str:
    """A month's short name, as written under a bar."""
    return _(SHORT_MONTHS[month - 1])


# --- The three charts ---------------------------------------------------------------------------


def completion_chart(completion: list[tuple[int, int, int]], prefix: str = "chart") -> str:
    title = _("Required activities completed, by grade")
    if not completion:
        return figure(prefix, "completion", title, empty_note(_("No data: there are no students in this caseload.")))
    rows = sorted(completion, key=lambda row: row[0])
    bars, facts, table = [], [], []
    for grade, done, total in rows:
        label = _("Grade {grade}").format(grade=grade)
        figures: dict[str, Any] = {"grade": grade, "done": done, "total": total}
        if total > 0:
            figures["percent"] = _percent(done, total)
            caption = _("{done} of {total} ({percent}%)").format(**figures)
            facts.append(_("Grade {grade}: {done} of {total} done ({percent}%).").format(**figures))
            table.append((label, str(done), str(total), _("{percent}%").format(**figures)))
        else:
            caption = _("none required")
            facts.append(_("Grade {grade}: no required activities.").format(grade=grade))
            table.append((label, str(done), str(total), _("n/a")))
        bars.append(_HBar(label, done, total, caption, BAR))
    chart = _hbars(title, " ".join(facts), bars)
    head = (_("Grade"), _("Done"), _("Total"), _("Percent"))
    return figure(prefix, "completion", title, chart + figures_table(title, head, table))


REVIEW_KINDS = (N_("Reviewed on time"), N_("Due for review"), N_("Overdue"))
REVIEW_SHORT = (N_("On time"), N_("Due"), N_("Overdue"))


def reviews_chart(reviews: tuple[int, int, int], prefix: str = "chart") -> str:
    title = _("Goal reviews: on time, due, overdue")
    total = sum(reviews)
    if total == 0:
        return figure(prefix, "reviews", title, empty_note(_("No data: there are no open goals to review.")))
    fills = (BAR, f"url(#{prefix}-due)", f"url(#{prefix}-overdue)")
    bars = [
        _HBar(
            _(short), count, total, _("{count} ({percent}%)").format(count=count, percent=_percent(count, total)), fill
        )
        for short, count, fill in zip(REVIEW_SHORT, reviews, fills, strict=True)
    ]
    on_time, due, overdue = reviews
    desc = _(
        "Open goals: {total}. Reviewed on time: {on_time} ({on_time_percent}%). "
        "Due for review: {due} ({due_percent}%). Overdue: {overdue} ({overdue_percent}%)."
    ).format(
        total=total,
        on_time=on_time,
        on_time_percent=_percent(on_time, total),
        due=due,
        due_percent=_percent(due, total),
        overdue=overdue,
        overdue_percent=_percent(overdue, total),
    )
    chart = _hbars(title, desc, bars, _patterns(prefix))
    table = [
        (_(kind), str(count), _("{percent}%").format(percent=_percent(count, total)))
        for kind, count in zip(REVIEW_KINDS, reviews, strict=True)
    ]
    table.append((_("All open goals"), str(total), _("{percent}%").format(percent=100)))
    head = (_("Review"), _("Goals"), _("Share"))
    return figure(prefix, "reviews", title, chart + figures_table(title, head, table))


def activity_chart(activity: list[tuple[str, int]], prefix: str = "chart") -> str:
    title = _("Changes made by students, by month")
    if not activity:
        return figure(prefix, "activity", title, empty_note(_("No data: the school year has not started yet.")))
    span = _("{first} to {last}").format(first=month_label(activity[0][0]), last=month_label(activity[-1][0]))
    total = sum(count for _month, count in activity)
    if total == 0:
        message = _("No data: students made no changes from {span}.").format(span=span)
        return figure(prefix, "activity", title, empty_note(message))
    slot = max(SLOT_MIN, (WIDTH - 16) / len(activity))
    width = 16 + slot * len(activity)
    baseline = PLOT_TOP + PLOT_H
    tallest = max(count for _month, count in activity)
    body = [
        el("line", {"x1": 4, "y1": baseline, "x2": width - 4, "y2": baseline, "stroke": OUTLINE, "stroke-width": 1})
    ]
    for i, (key, count) in enumerate(activity):
        centre = 8 + slot * (i + 0.5)
        height = PLOT_H * count / tallest
        bar = {"x": centre - slot * 0.3, "y": baseline - height, "width": slot * 0.6, "height": height}
        body.append(el("rect", {"class": "bar", **bar, "fill": BAR}))
        body.append(svg_text(centre, baseline - height - 5, str(count), anchor="middle", size=12, cls="value"))
        year, month = (int(part) for part in key.split("-"))
        body.append(svg_text(centre, baseline + 16, _short_month(month), anchor="middle", size=12))
        if i == 0 or month == 1:
            body.append(svg_text(centre, baseline + 32, str(year), anchor="middle", size=12, cls="year"))
    facts = "; ".join(_("{month}: {count}").format(month=month_label(key), count=count) for key, count in activity)
    desc = _("Changes made by students per month, {span}, {total} in all. {facts}.").format(
        span=span, total=total, facts=facts
    )
    chart = svg_root(title, desc, width, baseline + 40, "".join(body))
    table = [(month_label(key), str(count)) for key, count in activity]
    table.append((_("All months"), str(total)))
    head = (_("Month"), _("Changes by students"))
    return figure(prefix, "activity", title, chart + figures_table(title, head, table))


def charts_html(data: ChartData, *, scope: str = "", prefix: str = "chart") -> str:
    """The three figures with their tables, as one `<section class="dashboard-charts">`.

    `scope` (such as a school's or an educator's name) is added to the heading; `prefix` starts
    every id, so two sections can share a page.
    """
    heading = _("Charts: {scope}").format(scope=scope) if scope else _("Charts")
    parts = [
        el("h2", {"id": f"{prefix}-heading"}, escape(heading)),
        completion_chart(data.completion, prefix),
        reviews_chart(data.reviews, prefix),
        activity_chart(data.activity, prefix),
    ]
    return el("section", {"class": "dashboard-charts", "aria-labelledby": f"{prefix}-heading"}, "".join(parts)) + "\n"
