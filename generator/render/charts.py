"""The educator dashboard's charts, drawn at build time as inline SVG (pure).

Three figures: required activities completed by grade, goal reviews on time / due / overdue, and
the changes students made month by month over the school year. Each is an `<svg role="img">` with
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
  names come from a fixed table (not the locale), so the output is byte-for-byte reproducible.

Every text that goes into the markup is escaped with `html.escape`. The dashboard builds a
`ChartData` with `activity_by_month`, `student_change_days`, `review_counts` and
`school_year_start`; `charts_html` turns it into one `<section class="dashboard-charts">`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from generator.history.record import Record, ReviewState, year_start
from generator.model import Calendar
from generator.model.schoolyear import school_year

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

WIDTH = 320  # viewBox units; the CSS scales the chart to its column (text 14 units: about 15 px at 390 px)
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
INK = "#000000"
BAR = "#0b4f9c"  # the theme's accent; 8:1 against white
DUE = "#8a4b00"
OVERDUE = "#8b1a1a"
OUTLINE = "#1b1f24"

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


def _n(value: float) -> str:
    """A coordinate as short, fixed text: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _el(name: str, attrs: dict[str, str | float], content: str = "") -> str:
    """An element with its attributes in the given order; numbers through `_n`, text escaped."""
    parts = [name]
    for key, value in attrs.items():
        parts.append(f'{key}="{escape(value if isinstance(value, str) else _n(value))}"')
    opening = " ".join(parts)
    return f"<{opening}>{content}</{name}>"


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 13, cls: str = "label") -> str:
    attrs: dict[str, str | float] = {"class": cls, "x": x, "y": y, "fill": INK, "font-size": size}
    if anchor != "start":
        attrs["text-anchor"] = anchor
    return _el("text", attrs, escape(text))


def _svg(title: str, desc: str, width: float, height: float, body: str) -> str:
    attrs: dict[str, str | float] = {
        "xmlns": "http://www.w3.org/2000/svg",
        "role": "img",
        "viewBox": f"0 0 {_n(width)} {_n(height)}",
        "width": "100%",
        "font-family": FONT,
    }
    return _el("svg", attrs, _el("title", {}, escape(title)) + _el("desc", {}, escape(desc)) + body)


def _patterns(prefix: str) -> str:
    """Hatching for 'due' (one diagonal) and 'overdue' (crossed), so print tells them apart without colour."""
    due = _el("rect", {"width": 6, "height": 6, "fill": "#ffffff"}) + _el(
        "path", {"d": "M-1,1 L1,-1 M0,6 L6,0 M5,7 L7,5", "stroke": DUE, "stroke-width": 2}
    )
    overdue = _el("rect", {"width": 6, "height": 6, "fill": "#ffffff"}) + _el(
        "path",
        {
            "d": "M-1,1 L1,-1 M0,6 L6,0 M5,7 L7,5 M-1,5 L1,7 M0,0 L6,6 M5,-1 L7,1",
            "stroke": OVERDUE,
            "stroke-width": 1.5,
        },
    )
    common: dict[str, str | float] = {"patternUnits": "userSpaceOnUse", "width": 6, "height": 6}
    return _el(
        "defs",
        {},
        _el("pattern", {"id": f"{prefix}-due", **common}, due)
        + _el("pattern", {"id": f"{prefix}-overdue", **common}, overdue),
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
        body.append(_text(TRACK_X, y + TEXT_Y, bar.label, size=14))
        body.append(_text(TRACK_X + TRACK_W, y + TEXT_Y, bar.caption, anchor="end", size=14, cls="value"))
        track: dict[str, str | float] = {"x": TRACK_X, "y": y + BAR_Y, "width": TRACK_W, "height": BAR_H}
        outline: dict[str, str | float] = {"stroke": OUTLINE, "stroke-width": 1}
        body.append(_el("rect", {"class": "track", **track, "fill": "#ffffff", **outline}))
        body.append(_el("rect", {"class": "bar", **track, "width": TRACK_W * share, "fill": bar.fill, **outline}))
    return _svg(title, desc, WIDTH, TOP + (len(bars) - 1) * ROW + BAR_Y + BAR_H + 4, "".join(body))


def _table(caption: str, head: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    """A table of the chart's figures, right under it; the first column heads its row. Its caption is for
    screen readers (the figure's caption shows above the chart)."""
    cols = "".join(_el("th", {"scope": "col"}, escape(h)) for h in head)
    body = "".join(
        _el("tr", {}, _el("th", {"scope": "row"}, escape(row[0])) + "".join(_el("td", {}, escape(c)) for c in row[1:]))
        for row in rows
    )
    return _el(
        "table",
        {"class": "chart-figures"},
        _el("caption", {"class": "visually-hidden"}, escape(f"{caption}: the figures"))
        + _el("thead", {}, _el("tr", {}, cols))
        + _el("tbody", {}, body),
    )


def _figure(prefix: str, name: str, title: str, chart: str) -> str:
    return _el("figure", {"class": "chart", "id": f"{prefix}-{name}"}, _el("figcaption", {}, escape(title)) + chart)


def _empty(message: str) -> str:
    return _el("p", {"class": "chart-empty"}, escape(message))


def _percent(done: int, total: int) -> int:
    """Whole percent, rounded down: 100% only when everything is done."""
    return min(done, total) * 100 // total


def month_label(key: str) -> str:
    """'2026-09' -> 'September 2026'."""
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {int(year)}"


# --- The three charts ---------------------------------------------------------------------------


def completion_chart(completion: list[tuple[int, int, int]], prefix: str = "chart") -> str:
    title = "Required activities completed, by grade"
    if not completion:
        return _figure(prefix, "completion", title, _empty("No data: there are no students in this caseload."))
    rows = sorted(completion, key=lambda row: row[0])
    bars, facts, table = [], [], []
    for grade, done, total in rows:
        if total > 0:
            caption = f"{done} of {total} ({_percent(done, total)}%)"
            facts.append(f"Grade {grade}: {done} of {total} done ({_percent(done, total)}%).")
            table.append((f"Grade {grade}", str(done), str(total), f"{_percent(done, total)}%"))
        else:
            caption = "none required"
            facts.append(f"Grade {grade}: no required activities.")
            table.append((f"Grade {grade}", str(done), str(total), "n/a"))
        bars.append(_HBar(f"Grade {grade}", done, total, caption, BAR))
    chart = _hbars(title, " ".join(facts), bars)
    return _figure(prefix, "completion", title, chart + _table(title, ("Grade", "Done", "Total", "Percent"), table))


REVIEW_KINDS = ("Reviewed on time", "Due for review", "Overdue")
REVIEW_SHORT = ("On time", "Due", "Overdue")


def reviews_chart(reviews: tuple[int, int, int], prefix: str = "chart") -> str:
    title = "Goal reviews: on time, due, overdue"
    total = sum(reviews)
    if total == 0:
        return _figure(prefix, "reviews", title, _empty("No data: there are no open goals to review."))
    fills = (BAR, f"url(#{prefix}-due)", f"url(#{prefix}-overdue)")
    bars = [
        _HBar(short, count, total, f"{count} ({_percent(count, total)}%)", fill)
        for short, count, fill in zip(REVIEW_SHORT, reviews, fills, strict=True)
    ]
    on_time, due, overdue = reviews
    desc = (
        f"Open goals: {total}. Reviewed on time: {on_time} ({_percent(on_time, total)}%). "
        f"Due for review: {due} ({_percent(due, total)}%). Overdue: {overdue} ({_percent(overdue, total)}%)."
    )
    chart = _hbars(title, desc, bars, _patterns(prefix))
    table = [
        (kind, str(count), f"{_percent(count, total)}%") for kind, count in zip(REVIEW_KINDS, reviews, strict=True)
    ]
    table.append(("All open goals", str(total), "100%"))
    return _figure(prefix, "reviews", title, chart + _table(title, ("Review", "Goals", "Share"), table))


def activity_chart(activity: list[tuple[str, int]], prefix: str = "chart") -> str:
    title = "Changes made by students, by month"
    if not activity:
        return _figure(prefix, "activity", title, _empty("No data: the school year has not started yet."))
    span = f"{month_label(activity[0][0])} to {month_label(activity[-1][0])}"
    total = sum(count for _, count in activity)
    if total == 0:
        return _figure(prefix, "activity", title, _empty(f"No data: students made no changes from {span}."))
    slot = max(SLOT_MIN, (WIDTH - 16) / len(activity))
    width = 16 + slot * len(activity)
    baseline = PLOT_TOP + PLOT_H
    tallest = max(count for _, count in activity)
    body = [
        _el("line", {"x1": 4, "y1": baseline, "x2": width - 4, "y2": baseline, "stroke": OUTLINE, "stroke-width": 1})
    ]
    for i, (key, count) in enumerate(activity):
        centre = 8 + slot * (i + 0.5)
        height = PLOT_H * count / tallest
        bar = {"x": centre - slot * 0.3, "y": baseline - height, "width": slot * 0.6, "height": height}
        body.append(_el("rect", {"class": "bar", **bar, "fill": BAR}))
        body.append(_text(centre, baseline - height - 5, str(count), anchor="middle", size=12, cls="value"))
        year, month = (int(part) for part in key.split("-"))
        body.append(_text(centre, baseline + 16, MONTHS[month - 1][:3], anchor="middle", size=12))
        if i == 0 or month == 1:
            body.append(_text(centre, baseline + 32, str(year), anchor="middle", size=12, cls="year"))
    facts = "; ".join(f"{month_label(key)}: {count}" for key, count in activity)
    desc = f"Changes made by students per month, {span}, {total} in all. {facts}."
    chart = _svg(title, desc, width, baseline + 40, "".join(body))
    table = [(month_label(key), str(count)) for key, count in activity]
    table.append(("All months", str(total)))
    return _figure(prefix, "activity", title, chart + _table(title, ("Month", "Changes by students"), table))


def charts_html(data: ChartData, *, scope: str = "", prefix: str = "chart") -> str:
    """The three figures with their tables, as one `<section class="dashboard-charts">`.

    `scope` (such as a school's or an educator's name) is added to the heading; `prefix` starts
    every id, so two sections can share a page.
    """
    heading = f"Charts: {scope}" if scope else "Charts"
    parts = [
        _el("h2", {"id": f"{prefix}-heading"}, escape(heading)),
        completion_chart(data.completion, prefix),
        reviews_chart(data.reviews, prefix),
        activity_chart(data.activity, prefix),
    ]
    return _el("section", {"class": "dashboard-charts", "aria-labelledby": f"{prefix}-heading"}, "".join(parts)) + "\n"
