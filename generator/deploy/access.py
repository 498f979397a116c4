"""Who may read what, computed from the roster and the profiles (pure): one function, `access()`.

- a student reads their own student view, and nothing else of themselves;
- each family member listed in a profile with an email reads that student's family view, and one
  start page listing their children (`family/_<key>/`);
- an educator reads the educator view of every student whose profile lists them (their caseload),
  and more only where the roster says `access: school` (every student of their school) or
  `access: district` (every student); and a start page listing only those (`educator/_<id>/`);
  every educator of the roster reads the lessons with facilitator notes;
- the students of an advisory group (the profile's `advisory:` at one school) and the advisors
  (`role: advisor`) a member's profile lists read each member's advisory view and the group's page
  (`advisory/_<key>/`);
- everyone reads the public pages, the public curriculum and the shared theme assets.
Emails are compared in lower case.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.config import Options, Roles
from generator.model import Educator, Profiled

# Start pages live in their audience's folder under a name no student id can have (ids have no '_').
START = "_"
PUBLIC_FILES = ("index.html", "404.html")
ASSETS = "assets/"


@dataclass(frozen=True)
class Group:
    """A start page and who it lists: one educator's caseload, one family's children, one advisory group."""

    dest: str  # such as "educator/_mrivera"
    kind: str  # educator, family, advisory
    title: str
    students: tuple[str, ...]  # student ids, in the order shown
    readers: tuple[str, ...]  # emails


@dataclass(frozen=True)
class Access:
    public: tuple[str, ...]
    readers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # email -> folder prefixes
    groups: tuple[Group, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "public": list(self.public),
            "readers": {email: list(paths) for email, paths in sorted(self.readers.items())},
        }

    def may_read(self, email: str | None, path: str) -> bool:
        """Whether `email` (None: nobody signed in) may read `path` (from the output root)."""
        if any(path == p or (p.endswith("/") and path.startswith(p)) for p in self.public):
            return True
        if email is None:
            return False
        return any(path.startswith(p) for p in self.readers.get(email.lower(), ()))


def _key(*parts: str) -> str:
    """A short, stable name for a group that spells out none of its members."""
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:16]


def _emails(values: Iterable[Any]) -> list[str]:
    return sorted({str(v).strip().lower() for v in values if str(v).strip()})


def caseload(educator: Educator, students: Iterable[Profiled]) -> tuple[str, ...]:
    """The ids of the students an educator may read: listed in their profiles, or as the roster grants."""
    found = []
    for student in students:
        listed = educator.id in (student.profile.get("educators") or [])
        school = bool(educator.school) and student.profile.get("school") == educator.school
        if listed or educator.access == "district" or (educator.access == "school" and school):
            found.append(student.id)
    return tuple(sorted(found))


def advisory_key(student: Profiled) -> str | None:
    name = str(student.profile.get("advisory") or "").strip()
    if not name:
        return None
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "group"
    return f"{slug}-{_key(str(student.profile.get('school', '')), name)[:8]}"


def access(students: Iterable[Profiled], roster: dict[str, Educator], options: Options) -> Access:
    """Who may read which folders of the built site."""
    students = sorted(students, key=lambda s: s.id)
    roles = Roles(options)
    audiences = set(options.audiences)
    readers: dict[str, set[str]] = {}
    groups: list[Group] = []

    def grant(emails: Iterable[str], *paths: str) -> None:
        for email in emails:
            readers.setdefault(email, set()).update(paths)

    for student in students:
        grant(_emails(student.profile.get("emails") or []), f"{roles.student}/{student.id}/")
    if "family" in audiences:
        children: dict[str, list[str]] = {}
        for student in students:
            for member in student.profile.get("family") or []:
                for email in _emails(member.get("emails") or []):
                    children.setdefault(email, []).append(student.id)
        families: dict[tuple[str, ...], list[str]] = {}  # the same children: one start page for all their family
        for email, ids in sorted(children.items()):
            families.setdefault(tuple(ids), []).append(email)
        for kids, parents in sorted(families.items()):
            dest = f"family/{START}{_key(*kids)}"
            grant(parents, f"{dest}/", *(f"family/{i}/" for i in kids))
            groups.append(Group(dest, "family", "Your family's ILPs", kids, tuple(parents)))
    for educator in sorted(roster.values(), key=lambda e: e.id):
        emails = _emails(educator.emails)
        served = caseload(educator, students)
        dest = f"{roles.educator}/{START}{educator.id}"
        grant(emails, f"{roles.educator}/curriculum/", f"{dest}/", *(f"{roles.educator}/{i}/" for i in served))
        groups.append(Group(dest, "educator", f"Students of {educator.name}", served, tuple(emails)))
    if "advisory" in audiences:
        members: dict[str, list[Profiled]] = {}
        for student in students:
            key = advisory_key(student)
            if key is not None:
                members.setdefault(key, []).append(student)
        for key, group in sorted(members.items()):
            dest = f"advisory/{START}{key}"
            emails = _emails(e for s in group for e in s.profile.get("emails") or [])
            advisors = {
                e
                for s in group
                for ref in s.profile.get("educators") or []
                if ref in roster and roster[ref].role == "advisor"
                for e in roster[ref].emails
            }
            member_ids = tuple(s.id for s in group)
            everyone = sorted({*emails, *_emails(advisors)})
            grant(everyone, f"{dest}/", *(f"advisory/{i}/" for i in member_ids))
            title = str(group[0].profile.get("advisory"))
            groups.append(Group(dest, "advisory", title, member_ids, tuple(everyone)))
    public = (f"{roles.public}/", ASSETS, *PUBLIC_FILES)
    return Access(public, {email: tuple(sorted(paths)) for email, paths in sorted(readers.items())}, tuple(groups))
