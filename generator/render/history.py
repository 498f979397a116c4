"""Stage 5 for the change record: timeline, goal evolution, review cadence, ownership (pure)."""

from __future__ import annotations

import datetime
import itertools

from generator.history.record import DATA_FILES, GoalVersion, Record, ReviewState, as_of, ownership, term_of
from generator.markdown.text import inline
from generator.model import Calendar, Framework, Student
from generator.model.schoolyear import school_year, school_year_label
from generator.model.site import SitePage

CHANGE_RECORD = "change_record.md"


def _date(day: datetime.date) -> str:
    return day.strftime("%B %-d, %Y")


_escape = inline


def year_bounds(year: int, calendar: Calendar) -> tuple[datetime.date, datetime.date, datetime.date]:
    """Start, mid-year and end of school year `year` (named by the year it ends in)."""
    return (
        datetime.date(year - 1, *calendar.start),
        datetime.date(year if calendar.mid_year < calendar.start else year - 1, *calendar.mid_year),
        datetime.date(year, *calendar.end),
    )


def goal_evolution(versions: tuple[GoalVersion, ...], calendar: Calendar, today: datetime.date) -> list[str]:
    """Markdown lines: the goal at the start of each school year, at mid-year and now (or at the end)."""
    if len(versions) < 2:
        return []
    lines = ["**How this goal changed**", ""]
    first_year = school_year(versions[0].day, calendar)
    for year in range(first_year, school_year(today, calendar) + 1):
        start, middle, end = year_bounds(year, calendar)
        last = min(end, today)
        points = [("Start of year", start), ("Mid-year", middle), ("Now" if today <= end else "End of year", last)]
        shown = []
        previous = None
        for label, day in points:
            version = as_of(versions, day)
            if version is None or day > today:
                continue
            text = f"{_escape(version.goal.get('statement', ''))} ({_escape(version.goal.get('status', ''))})"
            shown.append(f"{label}: {'unchanged' if text == previous else text}")
            previous = text
        events = _events(versions, start, end)
        if shown or events:
            lines.append(f"- *{school_year_label(year)}*: " + "; ".join(shown + events))
    lines.append("")
    return lines if len(lines) > 3 else []


def _events(versions: tuple[GoalVersion, ...], start: datetime.date, end: datetime.date) -> list[str]:
    events = []
    for before, after in itertools.pairwise(versions):
        if not start <= after.day <= end:
            continue
        old, new = before.goal, after.goal
        if new.get("status") != old.get("status") and new.get("status") in ("achieved", "dropped"):
            events.append(f"{new['status']} on {_date(after.day)}")
        elif any(new.get(k) != old.get(k) for k in ("statement", "smart", "due")):
            events.append(f"revised on {_date(after.day)}")
    return events


def review_line(state: ReviewState | None, framework: Framework) -> list[str]:
    if state is None or not (state.overdue or state.due):
        return []
    last = f"last reviewed {_date(state.last)}" if state.last else "not reviewed yet"
    if state.overdue:
        return [
            f"**Review overdue**: {last}; goals are reviewed at least every {framework.review_required_months} months.",
            "",
        ]
    return [f"*Review due*: {last}; a review every {framework.review_recommended_months} months is recommended.", ""]


def goals_by_year(record: Record, calendar: Calendar, titles: dict[str, str]) -> list[str]:
    """Markdown lines: goals added and retired in each school year.

    Within a year, goals are listed by the day they were set (closed), then by title and id:
    never in the order of `record.goal_versions`, which a view may have built from a set.
    """
    lines: list[str] = []
    by_year: dict[int, tuple[list[tuple[datetime.date, str, str]], list[tuple[datetime.date, str, str]]]] = {}
    for gid, versions in record.goal_versions.items():
        title = titles.get(gid) or str(versions[-1].goal.get("statement", gid))
        added_year = school_year(versions[0].day, calendar)
        by_year.setdefault(added_year, ([], []))[0].append((versions[0].day, title, gid))
        final = versions[-1].goal.get("status")
        if final in ("achieved", "dropped"):
            closed = (versions[-1].day, f"{title} ({final})", gid)
            by_year.setdefault(school_year(versions[-1].day, calendar), ([], []))[1].append(closed)
    for year in sorted(by_year, reverse=True):
        added, retired = (sorted(found) for found in by_year[year])
        lines += [f"### {school_year_label(year)}", ""]
        if added:
            lines += ["Goals set: " + "; ".join(_escape(title) for _, title, _ in added), ""]
        if retired:
            lines += ["Goals closed: " + "; ".join(_escape(title) for _, title, _ in retired), ""]
    return (["## Goals by school year", "", *lines]) if lines else []


def _label(name: str, view: Student, framework: Framework) -> str:
    if name in DATA_FILES:
        return DATA_FILES[name]
    page = next((p for p in view.pages if p.name == name), None)
    if page is not None:
        section = framework.section(page.section)
        return f"{section.title if section else page.section}: {_escape(page.title)}"
    if name.startswith("artifacts/"):
        return "Evidence files"
    return _escape(name)


def change_record_page(
    record: Record, view: Student, framework: Framework, full: bool, today: datetime.date
) -> SitePage:
    lines = ["# Change record", ""]
    if not record.available:
        lines += [f"There is no change record: {_escape(record.reason)}.", ""]
        return SitePage(CHANGE_RECORD, "\n".join(lines))
    if record.shallow:
        lines += [
            "*This history is partial: it was built from a copy of the repository without its older history.*",
            "",
        ]
    if full:
        lines += [
            "Every change to this ILP, newest first: who made it and what they changed. "
            "Git keeps this record; nobody can edit it.",
            "",
        ]
        shares = ownership(record, framework.calendar)
        if shares:
            lines += [
                "## Who keeps this ILP",
                "",
                "| School year | Changes | Made by the student |",
                "| --- | --- | --- |",
            ]
            for year, (mine, total) in shares.items():
                lines.append(f"| {school_year_label(year)} | {total} | {mine} ({round(100 * mine / total)}%) |")
            lines.append("")
    else:
        lines += ["When the parts of this ILP that are shared with you changed, newest first.", ""]
    year_shown, term_shown = None, None
    for entry in record.entries:
        day = entry.commit.day
        year, term = school_year(day, framework.calendar), term_of(day, framework.calendar)
        if year != year_shown:
            lines += [f"## {school_year_label(year)}", ""]
            year_shown, term_shown = year, None
        if term != term_shown:
            lines += [f"### {term}", ""]
            term_shown = term
        future = " (dated in the future)" if day > today else ""
        labels = sorted({_label(item.name, view, framework) for item in entry.items})
        if full:
            who = f"{_escape(entry.who)} ({entry.role})"
            grouped: dict[str, int] = {}
            for i in entry.items:
                text = f"{_label(i.name, view, framework)}: {i.status}"
                text += f" from {_escape(i.old_name)}" if i.old_name else ""
                grouped[text] = grouped.get(text, 0) + 1
            changes = "; ".join(f"{text} ({n} files)" if n > 1 else text for text, n in grouped.items())
            lines.append(f"- **{_date(day)}**{future} · {who} · {changes}")
            if entry.commit.message:
                lines.append(f"    > {_escape(entry.commit.message.splitlines()[0])}")
        else:
            lines.append(f"- **{_date(day)}**{future} · updated: {'; '.join(labels)}")
    if not record.entries:
        lines.append("No changes yet." if full else "No changes to what is shared with you yet.")
    lines.append("")
    return SitePage(CHANGE_RECORD, "\n".join(lines))
