"""The change record of one student, from the district's history.

From the commits that touched a student's folder: a timeline (who changed
what, renames followed, never across into another student's folder), the
versions of each goal, when each review was recorded, review cadence and the
student's share of the changes per school year.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from generator.check import schemas
from generator.history.record import Entry, GoalVersion, Item, PageVersion, Record
from generator.load.documents import LoadError, parse_yaml, split_markdown
from generator.markdown.document import Document, parse
from generator.model import Commit, Educator, History, Student
from generator.model.source import MarkdownFile

STATUS_WORDS = {"A": "added", "M": "changed", "D": "removed", "T": "changed", "C": "added"}


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


Goals = tuple[dict[str, dict[str, Any]], bool]


def _goals_of(text: str, path: str) -> Goals | None:
    """The goals of an old goals.yml by id, read as today's files are, and whether it passes today's schema."""
    try:
        doc = parse_yaml(text, path)
    except LoadError:
        return None
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("goals"), list):
        return None
    goals = {str(g["id"]): g for g in data["goals"] if isinstance(g, dict) and "id" in g}
    return goals, schemas.passes(data, "goals")


class _PageText:
    """One text of a page in a student's history, read as today's pages are when first asked for: its
    front matter split off and checked against today's schema, then its body parsed. One that does not
    load or validate has no front matter and no body: it stays private."""

    def __init__(self, text: str, path: str) -> None:
        self.text, self.path = text, path
        self.page: MarkdownFile | None = None
        self.read = False
        self.parsed: Document | None = None

    def _page(self) -> MarkdownFile | None:
        if not self.read:
            self.read = True
            try:
                page = split_markdown(self.text, self.path)
            except LoadError:
                return None
            if page.meta is not None and schemas.passes(page.meta.data, "page"):
                self.page = page
        return self.page

    def meta(self) -> dict[str, Any] | None:
        page = self._page()
        return page.meta.data if page is not None and page.meta is not None else None

    def body(self) -> str | None:
        page = self._page()
        return page.body if page is not None else None

    def doc(self) -> Document | None:
        page = self._page()
        if page is not None and self.parsed is None:
            self.parsed = parse(page.body, page.body_line, self.path)
        return self.parsed


class _Reader:
    """What one student's record reads of the history, each text once: a text that comes back (a revert,
    a file renamed unchanged) is not read again."""

    def __init__(self) -> None:
        self.goals: dict[str, Goals | None] = {}
        self.pages: dict[tuple[str, str], _PageText] = {}

    def goals_of(self, text: str, path: str) -> Goals | None:
        if text not in self.goals:
            self.goals[text] = _goals_of(text, path)
        return self.goals[text]

    def page_version(self, sha: str, text: str, path: str) -> PageVersion:
        """The version, read (its front matter checked, its body parsed) only when something asks for it."""
        if (text, path) not in self.pages:
            self.pages[text, path] = _PageText(text, path)
        return PageVersion(sha, self.pages[text, path])


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
    if prefix in history.unreadable:
        return Record(False, "the history of this ILP could not be read; the district's IT can check its repository")
    people = roles(student, roster)
    reader = _Reader()
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
                    pages.setdefault(alias.get(name, name), []).append(
                        reader.page_version(commit.sha, text, change.path)
                    )
        text = history.versions.get((commit.sha, goals_path))
        if text is not None:
            parsed = reader.goals_of(text, goals_path)
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


class Records(Mapping[str, Record]):
    """Every loaded student's change record, each made when asked for (in the worker process that builds
    the student, when there are workers). Only the last one asked for is kept: a build asks for each
    student's record while it builds that student, and a thousand records (every old version of every
    page, parsed) would hold gigabytes."""

    def __init__(self, history: History, students: Iterable[Student], roster: dict[str, Educator]) -> None:
        self.history, self.roster = history, roster
        self.students = {s.id: s for s in students}
        self.folders = by_folder(history)
        self.made: dict[str, Record] = {}

    def of(self, student: Student) -> Records:
        """The record of `student` alone, made from the same history (not copied)."""
        one = copy.copy(self)
        one.students, one.made = {student.id: student}, {}
        return one

    def __getitem__(self, student_id: str) -> Record:
        if student_id not in self.made:
            student = self.students[student_id]
            commits = self.folders.get(f"{student.path}/", [])
            record = student_record(self.history, student, self.roster, commits)
            self.made = {student_id: record}
        return self.made[student_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.students)

    def __len__(self) -> int:
        return len(self.students)
