"""Stage 5: the graduation summary, one page of a student's years in the district (pure).

From the student's own view and its change record: for each school year from the first the
record knows (or the year they joined) to the last, the grade, the goals set and met, the
framework activities with evidence, the checklist items done, the courses and the experiences.
"""

from __future__ import annotations

import datetime
from typing import Any

from generator.history.record import Record
from generator.i18n import _, ngettext
from generator.markdown.text import inline
from generator.model import Student
from generator.model.schoolyear import school_year, school_year_label
from generator.model.site import SitePage
from generator.render.names import LABELS, MY_YEARS, display_name
from generator.render.student import Context, student_grade

SUMMARY = MY_YEARS


def _year_of(value: Any, context: Context) -> int | None:
    try:
        return school_year(datetime.date.fromisoformat(str(value)), context.framework.calendar)
    except ValueError:
        return None


def summary_page(view: Student, record: Record, context: Context) -> SitePage:
    """The page "My years": what happened in each school year, oldest first."""
    calendar = context.framework.calendar
    now = school_year(context.today, calendar)
    grade_now = student_grade(view, context) or 12
    years: dict[int, list[str]] = {}

    def add(year: int | None, line: str) -> None:
        if year is not None and year <= now:
            years.setdefault(year, []).append(line)

    for goal in view.goals:
        add(
            _year_of(goal.get("set", ""), context), _("Goal set: {goal}").format(goal=inline(goal.get("statement", "")))
        )
        if goal.get("status") == "achieved":
            done = [r for r in goal.get("reviews") or [] if r.get("progress") == "achieved"]
            when = done[-1]["date"] if done else goal.get("due", goal.get("set", ""))
            add(_year_of(when, context), _("Goal met: {goal}").format(goal=inline(goal.get("statement", ""))))
    activities = context.framework.activities
    for page in view.pages:
        activity = activities.get(str(page.meta.get("activity", "")))
        if activity is not None:
            line = _("Activity: {activity}, in “{page}”").format(
                activity=inline(activity.title), page=inline(page.title)
            )
            add(now - (grade_now - activity.grade), line)
    checklist = context.framework.checklist
    for item in view.checklist:
        known = checklist.get(str(item.get("id")))
        if item.get("done") and known is not None:
            add(
                _year_of(item.get("date", ""), context) or now - (grade_now - known.grade),
                _("Done: {item}").format(item=inline(known.text)),
            )
    for year_courses in view.courses.get("years", []) or []:
        grade = year_courses.get("grade")
        names = [inline(c.get("title", "")) for c in year_courses.get("courses", []) if c.get("title")]
        if isinstance(grade, int) and names:
            add(now - (grade_now - grade), _("Courses: {courses}").format(courses=", ".join(names)))
    for experience in view.experiences:
        add(
            _year_of(experience.get("start", ""), context),
            _("Experience: {title}").format(title=inline(experience.get("title", ""))),
        )
    first = min([*years, *(e.commit.day.year for e in record.entries[-1:])], default=now)
    name = display_name(view)
    lines = [f"# {_('My years in the district: {name}').format(name=inline(name))}", ""]
    lines.append(
        _(
            "A summary of {name}'s Individual Learning Plan, school year by school year, "
            "made when the ILP was handed over. The other pages hold everything in full."
        ).format(name=inline(name))
    )
    for year in range(min(first, now), now + 1):
        grade = grade_now - (now - year)
        if grade < 6 or year not in years:
            continue
        heading = _("{school_year}: grade {grade}").format(school_year=school_year_label(year), grade=grade)
        lines += ["", f"## {heading}", ""]
        lines += [f"- {line}" for line in years[year]]
    if record.available:
        changes = sum(1 for _ in record.entries)
        mine = sum(1 for e in record.entries if e.role == "student")
        text = ngettext(
            "{changes} recorded change, {mine} of them made by the student.",
            "{changes} recorded changes, {mine} of them made by the student.",
            changes,
        )
        lines += ["", f"## {_('The record')}", "", text.format(changes=changes, mine=mine)]
    return SitePage(SUMMARY, "\n".join(lines) + "\n", meta={"title": _(LABELS[MY_YEARS])})
