"""A student's change record and what it tells: its data, review cadence, ownership (pure).

Built by `generator.history.changes` from the history; read by the views and the render stage,
which never import git or the loader.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Protocol

from generator.i18n import N_
from generator.markdown.document import Document
from generator.model import Calendar, Commit, Framework, Student
from generator.model.schoolyear import school_year, school_year_label

DATA_FILES = {
    "profile.yml": N_("Profile"),
    "goals.yml": N_("Goals"),
    "courses.yml": N_("Courses"),
    "experiences.yml": N_("Experiences"),
    "checklist.yml": N_("Checklist"),
    "sharing.yml": N_("Sharing links"),
}


@dataclass(frozen=True)
class Item:
    name: str  # inside the student's folder, by its current name
    status: str  # added, changed, removed, renamed, moved in, moved out
    old_name: str | None = None  # for a rename inside the folder


@dataclass(frozen=True)
class Entry:
    commit: Commit
    role: str  # student, educator, family, other
    who: str
    items: tuple[Item, ...]
    goals: frozenset[str] = frozenset()  # ids of the goals this commit changed


@dataclass(frozen=True)
class GoalVersion:
    day: datetime.date
    sha: str
    goal: dict[str, Any]
    valid: bool = (
        True  # False: that version of goals.yml does not pass today's schema (private but to the full audiences)
    )


class PageText(Protocol):
    """One text of a page in the history, read when first asked for (and then once for every version with it)."""

    def meta(self) -> dict[str, Any] | None: ...

    def body(self) -> str | None: ...

    def doc(self) -> Document | None: ...


class PageVersion:
    """A page as one commit left it, read by today's loader, schema and parser when first asked for: a
    record holds every version of every page, and an audience reads only the versions of the pages it
    sees, the body only of those whose front matter validates. `meta` None: the version does not load
    or validate (private but to the full audiences); its `doc` is then None too."""

    __slots__ = ("_text", "sha")

    def __init__(self, sha: str, text: PageText) -> None:
        self.sha, self._text = sha, text

    @property
    def meta(self) -> dict[str, Any] | None:
        return self._text.meta()

    @property
    def body(self) -> str | None:
        """The Markdown below the front matter, unparsed (None with `meta`)."""
        return self._text.body()

    @property
    def doc(self) -> Document | None:
        return self._text.doc()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PageVersion):
            return NotImplemented
        return (self.sha, self.meta, self.doc) == (other.sha, other.meta, other.doc)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PageVersion({self.sha!r})"


@dataclass(frozen=True)
class Record:
    """A student's change record."""

    available: bool
    reason: str = ""
    shallow: bool = False
    entries: tuple[Entry, ...] = ()  # newest first
    goal_versions: dict[str, tuple[GoalVersion, ...]] = field(default_factory=dict)  # oldest first
    goal_first_seen: dict[str, datetime.date] = field(default_factory=dict)
    review_recorded: dict[tuple[str, str, str], datetime.date] = field(default_factory=dict)
    imported_goals: frozenset[str] = frozenset()  # goals already in goals.yml's first commit
    page_versions: dict[str, tuple[PageVersion, ...]] = field(default_factory=dict)  # by current name, oldest first


# --- What the record tells -------------------------------------------------------------------


def term_of(day: datetime.date, calendar: Calendar) -> str:
    """The title of the term `day` falls in, or 'Summer' between school years."""
    year = school_year(day, calendar)

    def on(month_day: tuple[int, int]) -> datetime.date:
        return datetime.date(year - 1 if month_day >= calendar.start else year, *month_day)

    current = N_("Summer")
    for term in calendar.terms:
        if on(term.start) <= day:
            current = term.title
    return current


@dataclass(frozen=True)
class ReviewState:
    goal_id: str
    last: datetime.date | None
    overdue: bool  # older than the required cadence (or never reviewed and set longer ago than that)
    due: bool  # older than the recommended cadence


def _months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 - months, 12)
    target_year, target_month = day.year + year, month + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return datetime.date(target_year, target_month, dom)
        except ValueError:
            continue
    return datetime.date(target_year, target_month, 28)


def year_start(year: int, calendar: Calendar) -> datetime.date:
    """The first day of school year `year` (named by the calendar year it ends in)."""
    return datetime.date(year - 1 if calendar.start > calendar.end else year, *calendar.start)


def last_review(goal: dict[str, Any]) -> datetime.date | None:
    dates = [datetime.date.fromisoformat(str(r["date"])) for r in goal.get("reviews") or [] if "date" in r]
    return max(dates) if dates else None


def cadence_start(goal: dict[str, Any], calendar: Calendar, year: int) -> datetime.date | None:
    """The day a goal's review cadence counts from in school year `year`: its last review, else the day it
    was set; for a goal carried into that year (`carried_over`, written by `ilp promote`), no earlier
    than the year's first day, so a goal carried over from last year is not overdue on the first day."""
    since = last_review(goal) or (datetime.date.fromisoformat(str(goal["set"])) if "set" in goal else None)
    if school_year_label(year) in (goal.get("carried_over") or []):
        start = year_start(year, calendar)
        since = start if since is None or since < start else since
    return since


def review_states(student: Student, framework: Framework, today: datetime.date) -> dict[str, ReviewState]:
    """For every open goal: when it was last reviewed, and whether a review is due or overdue.

    The cadence counts from the goal's last review (or the day it was set); for a goal carried into
    today's school year, from the later of that and the first day of the school year.
    """
    required = _months_before(today, framework.review_required_months)
    recommended = _months_before(today, framework.review_recommended_months)
    year = school_year(today, framework.calendar)
    states = {}
    for goal in student.goals:
        if goal.get("status") in ("achieved", "dropped"):
            continue
        last = last_review(goal)
        since = cadence_start(goal, framework.calendar, year)
        overdue = since is not None and since < required
        due = since is not None and since < recommended
        states[str(goal["id"])] = ReviewState(str(goal["id"]), last, overdue, due)
    return states


def ownership(record: Record, calendar: Calendar) -> dict[int, tuple[int, int]]:
    """School year -> (changes the student made, all changes)."""
    years: dict[int, tuple[int, int]] = {}
    for entry in record.entries:
        year = school_year(entry.commit.day, calendar)
        mine, total = years.get(year, (0, 0))
        years[year] = (mine + (entry.role == "student"), total + 1)
    return dict(sorted(years.items()))


def as_of(versions: tuple[GoalVersion, ...], day: datetime.date) -> GoalVersion | None:
    """The version of a goal that stood on `day`."""
    found = None
    for version in versions:
        if version.day <= day:
            found = version
    return found


def review_problems(record: Record, goals: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """(goal index, review index, message) for reviews that the history contradicts."""
    found = []
    for i, goal in enumerate(goals):
        gid = str(goal.get("id"))
        for j, review in enumerate(goal.get("reviews") or []):
            day = datetime.date.fromisoformat(str(review["date"]))
            recorded = record.review_recorded.get((gid, str(review["date"]), str(review["by"])))
            if recorded is not None and day > recorded:
                found.append(
                    (
                        i,
                        j,
                        f"review dated {day} was recorded on {recorded}, before it happened; date it the day it took place",
                    )
                )
            first = record.goal_first_seen.get(gid)
            if first is not None and gid not in record.imported_goals and day < first:
                found.append(
                    (i, j, f"review dated {day} is before the goal existed (it was first committed on {first})")
                )
    return found
