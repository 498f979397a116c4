"""The change record of one student, from the district's history (pure).

From the commits that touched a student's folder: a timeline (who changed
what, renames followed, never across into another student's folder), the
versions of each goal, when each review was recorded, review cadence and the
student's share of the changes per school year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from generator.check import schemas
from generator.load.documents import LoadError, parse_yaml, split_markdown
from generator.markdown.document import Document, parse
from generator.model import Calendar, Commit, Educator, Framework, History, Student
from generator.model.schoolyear import school_year

STATUS_WORDS = {"A": "added", "M": "changed", "D": "removed", "T": "changed", "C": "added"}
DATA_FILES = {
    "profile.yml": "Profile",
    "goals.yml": "Goals",
    "courses.yml": "Courses",
    "experiences.yml": "Experiences",
    "checklist.yml": "Checklist",
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


@dataclass(frozen=True)
class PageVersion:
    """A page as one commit left it, read by today's loader, schema and parser."""

    sha: str
    meta: dict[str, Any] | None  # None: the version does not validate (private but to the full audiences)
    doc: Document | None


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


def roles(student: Student, roster: dict[str, Educator]) -> dict[str, tuple[str, str]]:
    """Email -> (role, name) for the people who may edit this student's ILP."""
    found: dict[str, tuple[str, str]] = {}
    for educator in roster.values():
        for email in educator.emails:
            found[email.lower()] = ("educator", educator.name)
    for member in student.profile.get("family", []):
        for email in member.get("emails", []):
            found[email.lower()] = ("family", str(member.get("name", "family")))
    name = str(student.profile.get("preferred_name") or student.profile.get("name") or student.id)
    for email in student.profile.get("emails", []):
        found[email.lower()] = ("student", name)
    return found


def _goals_of(text: str, path: str) -> tuple[dict[str, dict[str, Any]], bool] | None:
    """The goals of an old goals.yml by id, read as today's files are, and whether it passes today's schema."""
    try:
        doc = parse_yaml(text, path)
    except LoadError:
        return None
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("goals"), list):
        return None
    goals = {str(g["id"]): g for g in data["goals"] if isinstance(g, dict) and "id" in g}
    return goals, not schemas.validate(doc, "goals")


def page_version(sha: str, text: str, path: str) -> PageVersion:
    """An old version of a page, read as today's pages are; one that does not load or validate stays private."""
    try:
        page = split_markdown(text, path)
    except LoadError:
        return PageVersion(sha, None, None)
    if page.meta is None or schemas.validate(page.meta, "page"):
        return PageVersion(sha, None, None)
    return PageVersion(sha, page.meta.data, parse(page.body, page.body_line, path))


def by_folder(history: History) -> dict[str, list[Commit]]:
    """Commits by the student folder they touch ('students/<id>/'), newest first: one pass for everyone."""
    found: dict[str, list[Commit]] = {}
    for commit in history.commits:
        folders = set()
        for change in commit.changes:
            for path in (change.path, change.old_path):
                parts = (path or "").split("/")
                if len(parts) > 2 and parts[0] == "students":
                    folders.add(f"students/{parts[1]}/")
        for folder in folders:
            found.setdefault(folder, []).append(commit)
    return found


def student_record(
    history: History, student: Student, roster: dict[str, Educator], commits: list[Commit] | None = None
) -> Record:
    """`commits`: the ones touching the student's folder (from `by_folder`); all of them when left out."""
    if not history.available:
        return Record(False, history.reason)
    prefix = f"{student.path}/"
    people = roles(student, roster)
    alias: dict[str, str] = {}
    goals_path = f"{prefix}goals.yml"
    versions: list[tuple[Commit, dict[str, dict[str, Any]], bool]] = []
    pages: dict[str, list[PageVersion]] = {}
    touched: list[tuple[Commit, list[Item]]] = []
    for commit in history.commits if commits is None else commits:
        items: list[Item] = []
        for change in commit.changes:
            new_inside = change.path.startswith(prefix)
            old_inside = (change.old_path or "").startswith(prefix)
            if not (new_inside or old_inside):
                continue
            new_name = change.path.removeprefix(prefix)
            old_name = (change.old_path or "").removeprefix(prefix)
            if change.status in ("R", "C") and new_inside and old_inside:
                current = alias.get(new_name, new_name)
                if change.status == "R":
                    alias[old_name] = current
                items.append(Item(current, "renamed" if change.status == "R" else "added", old_name))
            elif change.status in ("R", "C") and new_inside:
                items.append(Item(alias.get(new_name, new_name), "moved in"))
            elif change.status == "R" and old_inside:
                items.append(Item(old_name, "moved out"))
            else:
                items.append(Item(alias.get(new_name, new_name), STATUS_WORDS.get(change.status, "changed")))
        if items:
            touched.append((commit, items))
            for change in commit.changes:
                text = history.versions.get((commit.sha, change.path))
                name = change.path.removeprefix(prefix)
                if text is not None and change.path.startswith(prefix) and name.endswith(".md"):
                    pages.setdefault(alias.get(name, name), []).append(page_version(commit.sha, text, change.path))
        text = history.versions.get((commit.sha, goals_path))
        if text is not None:
            parsed = _goals_of(text, goals_path)
            if parsed is not None:
                versions.append((commit, *parsed))
    versions.reverse()  # oldest first
    goal_versions: dict[str, list[GoalVersion]] = {}
    first_seen: dict[str, datetime.date] = {}
    recorded: dict[tuple[str, str, str], datetime.date] = {}
    changed_by: dict[str, frozenset[str]] = {}
    previous: dict[str, dict[str, Any]] = {}
    for commit, goals, valid in versions:
        changed = {gid for gid, g in goals.items() if previous.get(gid) != g} | (set(previous) - set(goals))
        changed_by[commit.sha] = frozenset(changed)
        for gid, goal in goals.items():
            first_seen.setdefault(gid, commit.day)
            if previous.get(gid) != goal:
                goal_versions.setdefault(gid, []).append(GoalVersion(commit.day, commit.sha, goal, valid))
            for review in goal.get("reviews") or []:
                if isinstance(review, dict) and "date" in review:
                    key = (gid, str(review.get("date")), str(review.get("by", "")))
                    recorded.setdefault(key, commit.day)
        previous = goals
    entries = []
    for commit, items in touched:
        role, who = people.get(commit.email, ("other", commit.author))
        entries.append(Entry(commit, role, who, tuple(items), changed_by.get(commit.sha, frozenset())))
    return Record(
        True,
        "",
        history.shallow,
        tuple(entries),
        {gid: tuple(v) for gid, v in goal_versions.items()},
        first_seen,
        recorded,
        frozenset(versions[0][1]) if versions else frozenset(),
        {name: tuple(reversed(found)) for name, found in sorted(pages.items())},
    )


# --- What the record tells -------------------------------------------------------------------


def term_of(day: datetime.date, calendar: Calendar) -> str:
    """The title of the term `day` falls in, or 'Summer' between school years."""
    year = school_year(day, calendar)

    def on(month_day: tuple[int, int]) -> datetime.date:
        return datetime.date(year - 1 if month_day >= calendar.start else year, *month_day)

    current = "Summer"
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


def review_states(student: Student, framework: Framework, today: datetime.date) -> dict[str, ReviewState]:
    """For every open goal: when it was last reviewed, and whether a review is due or overdue."""
    required = _months_before(today, framework.review_required_months)
    recommended = _months_before(today, framework.review_recommended_months)
    states = {}
    for goal in student.goals:
        if goal.get("status") in ("achieved", "dropped"):
            continue
        dates = [datetime.date.fromisoformat(str(r["date"])) for r in goal.get("reviews", []) if "date" in r]
        last = max(dates) if dates else None
        since = last or (datetime.date.fromisoformat(str(goal["set"])) if "set" in goal else None)
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
