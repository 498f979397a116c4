"""Stage 5 for the change record: timeline, goal evolution, review cadence, ownership (pure)."""

from __future__ import annotations

import datetime
import itertools

from generator.history.record import DATA_FILES, GoalVersion, Record, ReviewState, as_of, ownership, term_of
from generator.i18n import N_, _, format_date, ngettext
from generator.markdown.text import inline
from generator.model import Calendar, Framework, Student
from generator.model.schoolyear import school_year, school_year_label
from generator.model.site import SitePage
from generator.render.names import CHANGE_RECORD, EVIDENCE_FILES, LABELS

__all__ = ["CHANGE_RECORD", "STATUS", "change_record_page", "goal_evolution", "goals_by_year", "review_line"]

STATUS = {
    "not-started": N_("Not started"),
    "in-progress": N_("In progress"),
    "achieved": N_("Achieved"),
    "dropped": N_("Dropped"),
}
ITEM_STATUS = {
    "added": N_("added"),
    "changed": N_("changed"),
    "removed": N_("removed"),
    "renamed": N_("renamed"),
    "moved in": N_("moved in"),
    "moved out": N_("moved out"),
}
ROLES = {"student": N_("student"), "educator": N_("educator"), "family": N_("family"), "other": N_("other")}

_escape = inline


def status_label(status: object) -> str:
    """A goal's status as words ("In progress"), an unknown one as it is written."""
    text = str(status)
    return _(STATUS[text]) if text in STATUS else _escape(text)


def year_bounds(year: int, calendar: Calendar) -> tuple[datetime.date, datetime.date, datetime.date]:
    """Start, mid-year and end of school year `year` (named by the year it ends in)."""
    return (
        datetime.date(year - 1, *calendar.start),
        datetime.date(year if calendar.mid_year < calendar.start else year - 1, *calendar.mid_year),
        datetime.date(year, *calendar.end),
    )


def goal_evolution(versions: tuple[GoalVersion, ...], calendar: Calendar, today: datetime.date) -> list[str]:
    """Markdown lines: the goal at the start of each school year, at mid-year and now (or at the end),
    under its own heading, one line for each point in time."""
    if len(versions) < 2:
        return []
    years: list[str] = []
    first_year = school_year(versions[0].day, calendar)
    for year in range(first_year, school_year(today, calendar) + 1):
        start, middle, end = year_bounds(year, calendar)
        points = [(_("Start of year"), start), (_("Mid-year"), middle)]
        points.append((_("Now"), today) if today <= end else (_("End of year"), end))
        shown: list[tuple[datetime.date, str]] = []
        previous = None
        for label, day in points:
            version = as_of(versions, day)
            if version is None or day > today:
                continue
            seen = (version.goal.get("statement", ""), version.goal.get("status", ""))
            if seen == previous:
                text = _("{when}: unchanged").format(when=label)
            else:
                text = _("{when} ({status}): {statement}").format(
                    when=label, status=status_label(seen[1]).lower(), statement=_escape(seen[0])
                )
            shown.append((day, text))
            previous = seen
        moments = sorted([*shown, *_events(versions, start, end)], key=lambda moment: moment[0])
        if moments:
            years += [f"- *{school_year_label(year)}*", "", *(f"    - {text}" for _day, text in moments), ""]
    if not years:
        return []
    return [f"#### {_('How this goal changed')}", "", *years]


def _events(
    versions: tuple[GoalVersion, ...], start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, str]]:
    """The days a goal was met, dropped or revised within a school year."""
    events = []
    for before, after in itertools.pairwise(versions):
        if not start <= after.day <= end:
            continue
        old, new = before.goal, after.goal
        day = format_date(after.day)
        if new.get("status") != old.get("status") and new.get("status") == "achieved":
            events.append((after.day, _("Achieved on {date}").format(date=day)))
        elif new.get("status") != old.get("status") and new.get("status") == "dropped":
            events.append((after.day, _("Dropped on {date}").format(date=day)))
        elif any(new.get(k) != old.get(k) for k in ("statement", "smart", "due")):
            events.append((after.day, _("Revised on {date}").format(date=day)))
    return events


def review_line(state: ReviewState | None, framework: Framework) -> list[str]:
    if state is None or not (state.overdue or state.due):
        return []
    last = _("last reviewed {date}").format(date=format_date(state.last)) if state.last else _("not reviewed yet")
    if state.overdue:
        months = framework.review_required_months
        rule = ngettext(
            "goals are reviewed at least every month", "goals are reviewed at least every {months} months", months
        )
        return [f"**{_('Review overdue')}**: {last}; {rule.format(months=months)}.", ""]
    months = framework.review_recommended_months
    rule = ngettext("a review every month is recommended", "a review every {months} months is recommended", months)
    return [f"*{_('Review due')}*: {last}; {rule.format(months=months)}.", ""]


def goals_by_year(record: Record, calendar: Calendar, titles: dict[str, str]) -> list[str]:
    """Markdown lines: goals added and retired in each school year, each a list item.

    Within a year, goals are listed by the day they were set (closed), then by title and id:
    never in the order of `record.goal_versions`, which a view may have built from a set.
    """
    lines: list[str] = []
    by_year: dict[int, tuple[list[tuple[datetime.date, str, str]], list[tuple[datetime.date, str, str]]]] = {}
    for gid, versions in record.goal_versions.items():
        title = _escape(titles.get(gid) or str(versions[-1].goal.get("statement", gid)))
        added_year = school_year(versions[0].day, calendar)
        by_year.setdefault(added_year, ([], []))[0].append((versions[0].day, title, gid))
        final = versions[-1].goal.get("status")
        if final in ("achieved", "dropped"):
            closed = (versions[-1].day, f"{status_label(final)}: {title}", gid)
            by_year.setdefault(school_year(versions[-1].day, calendar), ([], []))[1].append(closed)
    for year in sorted(by_year, reverse=True):
        added, retired = (sorted(found) for found in by_year[year])
        lines += [f"### {school_year_label(year)}", ""]
        if added:
            lines += [f"**{_('Goals set')}**", "", *(f"- {text}" for _day, text, _gid in added), ""]
        if retired:
            lines += [f"**{_('Goals closed')}**", "", *(f"- {text}" for _day, text, _gid in retired), ""]
    return [f"## {_('Goals by school year')}", "", *lines] if lines else []


def _label(name: str, view: Student, framework: Framework) -> str:
    if name in DATA_FILES:
        return _(DATA_FILES[name])
    page = next((p for p in view.pages if p.name == name), None)
    if page is not None:
        section = framework.section(page.section)
        return f"{_escape(section.title) if section else _escape(page.section)}: {_escape(page.title)}"
    if name.startswith("artifacts/"):
        return _(LABELS[EVIDENCE_FILES])
    return _escape(name)


def _ownership(record: Record, framework: Framework) -> list[str]:
    shares = ownership(record, framework.calendar)
    if not shares:
        return []
    lines = [
        f"## {_('Who keeps this ILP')}",
        "",
        f"| {_('School year')} | {_('Changes')} | {_('Made by the student')} |",
        "| --- | --- | --- |",
    ]
    for year, (mine, total) in shares.items():
        share = _("{count} ({percent}%)").format(count=mine, percent=round(100 * mine / total))
        lines.append(f"| {school_year_label(year)} | {total} | {share} |")
    return [*lines, ""]


def change_record_page(
    record: Record, view: Student, framework: Framework, full: bool, today: datetime.date
) -> SitePage:
    lines = [f"# {_(LABELS[CHANGE_RECORD])}", ""]
    if not record.available:
        lines += [_("There is no change record: {reason}.").format(reason=_escape(record.reason)), ""]
        return SitePage(CHANGE_RECORD, "\n".join(lines))
    if record.shallow:
        note = _("This history is partial: it was built from a copy of the repository without its older history.")
        lines += [f"*{note}*", ""]
    if full:
        lines += [
            _(
                "Every change to this ILP, newest first: who made it and what they changed. "
                "Git keeps this record; nobody can edit it."
            ),
            "",
            *_ownership(record, framework),
        ]
    else:
        lines += [_("When the parts of this ILP that are shared with you changed, newest first."), ""]
    year_shown, term_shown = None, None
    for entry in record.entries:
        day = entry.commit.day
        year, term = school_year(day, framework.calendar), term_of(day, framework.calendar)
        if year != year_shown:
            lines += [f"## {school_year_label(year)}", ""]
            year_shown, term_shown = year, None
        if term != term_shown:
            # term_of names the break between school years "Summer"; a term's title is the framework's
            lines += [f"### {_('Summer') if term == 'Summer' else _escape(term)}", ""]
            term_shown = term
        when = f"**{format_date(day)}**" + (f" {_('(dated in the future)')}" if day > today else "")
        labels = sorted({_label(item.name, view, framework) for item in entry.items})
        if full:
            role = _(ROLES[entry.role]) if entry.role in ROLES else _escape(entry.role)
            who = f"{_escape(entry.who)} ({role})"
            grouped: dict[str, int] = {}
            for i in entry.items:
                status = _(ITEM_STATUS[i.status]) if i.status in ITEM_STATUS else _escape(i.status)
                text = f"{_label(i.name, view, framework)}: {status}"
                if i.old_name:
                    text = _("{change} from {old}").format(change=text, old=_escape(i.old_name))
                grouped[text] = grouped.get(text, 0) + 1
            changes = "; ".join(
                _("{change} ({count} files)").format(change=text, count=n) if n > 1 else text
                for text, n in grouped.items()
            )
            lines.append(f"- {when} · {who} · {changes}")
            if entry.commit.message:
                lines.append(f"    > {_escape(entry.commit.message.splitlines()[0])}")
        else:
            lines.append(f"- {when} · " + _("updated: {pages}").format(pages="; ".join(labels)))
    if not record.entries:
        lines.append(_("No changes yet.") if full else _("No changes to what is shared with you yet."))
    lines.append("")
    return SitePage(CHANGE_RECORD, "\n".join(lines))
