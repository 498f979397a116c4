"""Stage 5 for the educator dashboard: its table, summary tiles, filters and CSV (pure).

The HTML follows the contract theme/assets/dashboard.js sorts and filters by: `<table class="dashboard">`,
header cells `<th data-key data-type="number|text|date">`, body rows `<tr data-grade data-school
data-attention="1|0">`, cells `<td data-value>` (numbers as numbers, dates ISO, '' for none), and a
hidden `<form class="dashboard-filters">` that the script reveals. Without JavaScript the rows stand in
the order of `dashboard.ordered` (most urgent first) and every figure is there.

The page's HTML is made here and handed to the theme's `dashboard.html` as it is, since the sanitizer
(right for anything a student wrote) removes forms and data attributes: so every value that comes from
a student's files is escaped here, and nothing else is written into it.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from generator.i18n import N_, _, format_date, ngettext
from generator.render.dashboard import INACTIVE_DAYS, Row, ordered
from generator.sanitize import scroll_tables

URGENCY = N_(
    "Most urgent first: overdue reviews, then missing activities of past grades, then due reviews, then the "
    "longest without a change by the student."
)
NOTE = N_("As of {date}. Each figure links to the page of the student's portfolio that explains it.")


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


# The columns, in order: key, type, heading; each cell's sort value, text and page (under ../<id>/).
Cell = tuple[str, str, str]  # sort value, text, page


@dataclass(frozen=True)
class Column:
    key: str
    type: str  # number, text, date
    heading: str
    cell: Callable[[Row], Cell]


def _n(value: int | str | None) -> str:
    return "" if value is None else str(value)


def _this_year(row: Row) -> str:
    return "this-year/" if row.has_this_year else ""


def _goals(row: Row) -> str:
    return "my-goals/" if row.has_goals else ""


def _progress(row: Row) -> Cell:
    ratio = f"{row.done / row.required:.3f}" if row.required else ""
    text = (
        _("{done} of {required}").format(done=row.done, required=row.required) if row.required else _("none required")
    )
    return ratio, text, _this_year(row)


def _by(row: Row) -> Cell:
    text = "" if row.last_by_student is None else _yes(row.last_by_student)
    return text, text, "change-record/"


def _nowhere(row: Row) -> str:
    return ""


def _field(key: str, kind: str, heading: str, page: Callable[[Row], str] = _nowhere) -> Column:
    """The column of the row's field `key` as it is (sort value and text alike), linking `page`."""

    def cell(row: Row) -> Cell:
        text = _n(getattr(row, key))
        return text, text, page(row)

    return Column(key, kind, heading, cell)


COLUMNS = (
    _field("name", "text", N_("Student")),
    _field("grade", "number", N_("Grade")),
    _field("school", "text", N_("School")),
    Column("this_grade", "number", N_("This grade's activities done"), _progress),
    _field("missing_past", "number", N_("Past grades' activities missing"), _this_year),
    _field("goals_active", "number", N_("Goals active"), _goals),
    _field("goals_met", "number", N_("Goals met"), _goals),
    _field("reviews_overdue", "number", N_("Reviews overdue"), _goals),
    _field("reviews_due", "number", N_("Reviews due"), _goals),
    Column(
        "last_change",
        "date",
        N_("Last change"),
        lambda r: (r.last_change.isoformat() if r.last_change else "",) * 2 + ("change-record/",),
    ),
    Column("by_student", "text", N_("Made by the student"), _by),
    Column(
        "student_days",
        "number",
        N_("Days since the student changed anything"),
        lambda r: (
            _n(r.student_days),
            _n(r.student_days) if r.student_days is not None else _("never"),
            "change-record/",
        ),
    ),
    Column(
        "starter",
        "number",
        N_("Pages with starter text"),
        lambda r: (
            str(len(r.starter)),
            str(len(r.starter)),
            r.starter[0].removesuffix("index.md") if r.starter else "",
        ),
    ),
    Column("deck", "text", N_("Conference deck ready"), lambda r: (_yes(r.deck_ready),) * 2 + ("conference/",)),
    _field("warnings", "number", N_("ilp check warnings")),
)


@dataclass(frozen=True)
class Summary:
    students: int
    on_track: int
    overdue: int  # overdue reviews, all students together
    inactive: int  # students who changed nothing for INACTIVE_DAYS days


def summary(rows: Sequence[Row]) -> Summary:
    return Summary(
        len(rows),
        sum(1 for r in rows if not r.attention),
        sum(r.reviews_overdue for r in rows),
        sum(1 for r in rows if r.inactive),
    )


def _tiles(rows: Sequence[Row]) -> str:
    s = summary(rows)
    tiles = (
        (s.students, ngettext("student", "students", s.students)),
        (s.on_track, _("on track")),
        (s.overdue, ngettext("overdue review", "overdue reviews", s.overdue)),
        (s.inactive, _("inactive for {days} days").format(days=INACTIVE_DAYS)),
    )
    items = "".join(
        f'<li><span class="tile-figure">{n}</span> <span class="tile-label">{t}</span></li>' for n, t in tiles
    )
    return f'<ul class="dashboard-tiles">{items}</ul>'


def _filters(rows: Sequence[Row]) -> str:
    grades = sorted({r.grade for r in rows if r.grade is not None})
    schools = sorted({r.school for r in rows if r.school})
    grade_options = "".join(
        f'<option value="{g}">{escape(_("Grade {grade}").format(grade=g))}</option>' for g in grades
    )
    school_options = "".join(f'<option value="{escape(s)}">{escape(s)}</option>' for s in schools)
    return (
        '<form class="dashboard-filters" hidden>'
        f'<label>{escape(_("Grade"))} <select name="grade"><option value="">{escape(_("All grades"))}</option>'
        f"{grade_options}</select></label> "
        f'<label>{escape(_("School"))} <select name="school"><option value="">{escape(_("All schools"))}</option>'
        f"{school_options}</select></label> "
        f'<label><input type="checkbox" name="attention"> {escape(_("Only students who need attention"))}</label>'
        "</form>"
        f'<p class="dashboard-count" aria-live="polite" data-template="{escape(_("{shown} of {total} students"))}">'
        f"{escape(ngettext('{count} student', '{count} students', len(rows)).format(count=len(rows)))}</p>"
    )


def _row(row: Row) -> str:
    cells = []
    for column in COLUMNS:
        value, text, page = column.cell(row)
        shown = escape(text)
        if column.key == "name" or page:
            shown = f'<a href="../{escape(row.id)}/{escape(page)}">{shown}</a>'
        cells.append(f'<td data-value="{escape(value)}">{shown}</td>')
    return (
        f'<tr data-grade="{_n(row.grade)}" data-school="{escape(row.school)}" data-attention="{int(row.attention)}">'
        + "".join(cells)
        + "</tr>"
    )


def table_html(rows: Sequence[Row]) -> str:
    head = "".join(
        f'<th scope="col" data-key="{c.key}" data-type="{c.type}">{escape(_(c.heading))}</th>' for c in COLUMNS
    )
    body = "\n".join(_row(r) for r in ordered(list(rows)))
    return scrolling(
        _("Caseload"),
        f'<table class="dashboard"><caption>{escape(_(URGENCY))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>",
    )


def scrolling(name: str, table: str) -> str:
    """A table in a region that scrolls sideways on a narrow screen and that the keyboard reaches, as
    generator.sanitize.scroll_tables does for every other page's tables (this page's HTML does not pass
    through the sanitizer)."""
    return f'<div class="table-scroll" role="region" aria-label="{escape(name)}" tabindex="0">{table}</div>'


def aggregate_html(rows: Sequence[Row]) -> str:
    """For leads: students, on track, missing past activities, overdue reviews and inactive, by school and grade."""
    groups: dict[tuple[str, int], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.school, row.grade if row.grade is not None else -1), []).append(row)
    lines = []
    for (school, grade), members in sorted(groups.items()):
        s = summary(members)
        missing = sum(r.missing_past for r in members)
        figures = (s.students, s.on_track, missing, s.overdue, s.inactive)
        cells = "".join(f"<td>{n}</td>" for n in figures)
        lines.append(f'<tr><th scope="row">{escape(school)}</th><td>{grade if grade >= 0 else ""}</td>{cells}</tr>')
    heads = (
        _("School"),
        _("Grade"),
        _("Students"),
        _("On track"),
        _("Past activities missing"),
        _("Overdue reviews"),
        _("Inactive"),
    )
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in heads)
    return f'<h2 id="by-school-and-grade">{escape(_("By school and grade"))}</h2>' + scrolling(
        _("By school and grade"),
        f'<table class="dashboard-aggregate"><thead><tr>{head}</tr></thead><tbody>{"".join(lines)}</tbody></table>',
    )


def dashboard_html(rows: Sequence[Row], today: datetime.date, lead: bool, charts: str = "") -> str:
    """The dashboard: tiles, the CSV link, the filters, the table, the charts and (for leads) the aggregates."""
    parts = [
        _tiles(rows),
        f'<p class="dashboard-note">{escape(_(NOTE).format(date=format_date(today)))} '
        f'<a href="caseload.csv" download>{escape(_("Download this table (CSV)"))}</a></p>',
        _filters(rows),
        table_html(rows),
        scroll_tables(charts),  # a <section class="dashboard-charts"> (generator/render/charts.py)
    ]
    if lead:
        parts.append(aggregate_html(rows))
    return "\n".join(parts) + "\n"


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(_FORMULA) else value


def caseload_csv(rows: Sequence[Row]) -> bytes:
    """The table's rows, in its order, as CSV (UTF-8, a header row, ISO dates)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_safe(_(c.heading)) for c in COLUMNS])
    for row in ordered(list(rows)):
        writer.writerow([_safe(c.cell(row)[1]) for c in COLUMNS])
    return out.getvalue().encode("utf-8")
