"""Stage 5 for the educator dashboard: one row of figures per student, from the educator view (pure).

`dashboard_row` takes what `view_student` and `view_record` left for the educator audience (never the
raw student) and counts what an educator acts on. The definitions, shared by the table, the CSV and
the charts:

- required activities of this grade done/total, and of past grades still missing (from the grade the
  student `joined:` in, grade 6 otherwise), with evidence as `ilp check` counts it;
- goals active (not started or in progress) and met (achieved);
- reviews overdue (older than the framework's required cadence) and due (older than the recommended
  cadence, not yet overdue), for open goals, as the goals page tells them;
- the last change to the student's folder on or before `today` (commits dated later are left out),
  whether the student made it, and the days since the student last changed anything (None: never);
- the pages still holding the starter text of `ilp new`;
- the conference deck is *ready* when the student has written `conference.md` (their slide choices
  and own slides): without it the deck is only the built-in slides;
- the `ilp check` warnings under the student's folder (counted by the caller from the report).

A student *needs attention* when a review is overdue, a past grade's required activity is missing or
the student has changed nothing for `INACTIVE_DAYS` days. The default order (without JavaScript) puts
the most urgent first: more overdue reviews, then more missing past activities, then more due reviews,
then longer inactivity (never counts as longest), then the name.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.history.record import Record, review_states
from generator.i18n import _
from generator.model import Student
from generator.render.charts import ChartData, activity_by_month, school_year_start
from generator.render.names import display_name
from generator.render.starter import starter_pages
from generator.render.student import Context, evidence, student_grade

INACTIVE_DAYS = 30


@dataclass(frozen=True)
class Row:
    """One student on the dashboard, as the educator audience sees them."""

    id: str
    name: str
    grade: int | None
    school: str
    done: int  # required activities of this grade with evidence
    required: int  # required activities of this grade
    missing_past: int  # required activities of past grades without evidence
    goals_active: int
    goals_met: int
    reviews_due: int  # due (recommended cadence passed), not overdue
    reviews_overdue: int  # required cadence passed
    last_change: datetime.date | None
    last_by_student: bool | None  # None: no change recorded
    student_days: int | None  # days since the student's last change; None: never
    starter: tuple[str, ...]  # pages (names in the folder) still holding the starter text
    deck_ready: bool
    warnings: int
    has_this_year: bool  # the educator view has a this-year page (the grade has a plan)
    has_goals: bool  # the educator view has a goals page

    @property
    def inactive(self) -> bool:
        return self.student_days is None or self.student_days >= INACTIVE_DAYS

    @property
    def attention(self) -> bool:
        return self.reviews_overdue > 0 or self.missing_past > 0 or self.inactive

    def urgency(self) -> tuple[int, int, int, int, str, str]:
        """The default order's key: most urgent first."""
        days = self.student_days if self.student_days is not None else 10**6
        return (-self.reviews_overdue, -self.missing_past, -self.reviews_due, -days, self.name.lower(), self.id)


def dashboard_row(view: Student, record: Record, context: Context, warnings: int) -> Row:
    """The figures of one student, from the educator view and its change record."""
    framework, today = context.framework, context.today
    named = "name" in view.profile
    grade = student_grade(view, context)
    done = evidence(view)
    plan = framework.plan(grade) if grade is not None else None
    required = [a.id for a in plan.activities if a.required] if plan else []
    first = int((view.profile.get("joined") or {}).get("grade", 6))
    missing_past = sum(
        1
        for past in framework.grades
        if grade is not None and first <= past.grade < grade
        for a in past.activities
        if a.required and a.id not in done
    )
    states = review_states(view, framework, today).values()
    entries = [e for e in record.entries if e.commit.day <= today]  # newest first
    last = max(entries, key=lambda e: e.commit.date) if entries else None
    mine = [e.commit.day for e in entries if e.role == "student"]
    return Row(
        id=view.id,
        name=display_name(view) if named else _("A student"),
        grade=grade,
        school=str(view.profile.get("school", "")),
        done=sum(1 for a in required if a in done),
        required=len(required),
        missing_past=missing_past,
        goals_active=sum(1 for g in view.goals if g.get("status") in ("not-started", "in-progress")),
        goals_met=sum(1 for g in view.goals if g.get("status") == "achieved"),
        reviews_due=sum(1 for s in states if s.due and not s.overdue),
        reviews_overdue=sum(1 for s in states if s.overdue),
        last_change=last.commit.day if last else None,
        last_by_student=(last.role == "student") if last else None,
        student_days=(today - max(mine)).days if mine else None,
        starter=tuple(starter_pages(view, framework)),
        deck_ready=view.conference is not None,
        warnings=warnings,
        has_this_year=plan is not None,
        has_goals=bool(view.goals),
    )


def ordered(rows: list[Row]) -> list[Row]:
    """The rows most urgent first (the order without JavaScript)."""
    return sorted(rows, key=Row.urgency)


def chart_data(rows: Sequence[Row], change_days: Iterable[datetime.date], context: Context) -> ChartData:
    """The dashboard's charts' figures: completion by grade, reviews on time / due / overdue, and the
    students' changes per month of this school year (`change_days`: the days of the students' own
    changes, from the records their readers may see: `student_change_days`)."""
    by_grade: dict[int, tuple[int, int]] = {}
    for row in rows:
        if row.grade is not None and row.required:
            done, total = by_grade.get(row.grade, (0, 0))
            by_grade[row.grade] = (done + row.done, total + row.required)
    due = sum(r.reviews_due for r in rows)
    overdue = sum(r.reviews_overdue for r in rows)
    on_time = max(sum(r.goals_active for r in rows) - due - overdue, 0)
    start = school_year_start(context.today, context.framework.calendar)
    activity = activity_by_month(change_days, start, context.today)
    completion = [(grade, done, total) for grade, (done, total) in sorted(by_grade.items())]
    return ChartData(completion, (on_time, due, overdue), activity)
