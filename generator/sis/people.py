"""What the SIS says, in ILP terms (pure): educators for the roster; students with their grade, school
and family; the ids new people get; and how a SIS value merges with what a file already holds.

The rules where the SIS knows less than the repository:

- a roster role the SIS cannot say (advisor, case manager, CTE coordinator) is kept over the
  SIS's teacher or other;
- a name the roster writes with a title ('Ms. Marisol Rivera' for Marisol Rivera) is kept;
- a family member's relationship that says more than the SIS's parent, guardian or relative
  ('mother' for a parent, 'aunt' for a relative) is kept, and so are their language and visibility.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.sis.oneroster import Export, User
from generator.sis.spec import FAMILY_ROLES, STAFF_ROLES

ROSTER_ROLES = {
    "counselor": "counselor",
    "teacher": "teacher",
    "aide": "other",
    "proctor": "other",
    "principal": "administrator",
    "siteAdministrator": "administrator",
    "districtAdministrator": "administrator",
    "systemAdministrator": "administrator",
}
FINER_ROLES = ("advisor", "case-manager", "cte-coordinator")
_PARENTS = {"mother", "father", "stepmother", "stepfather", "stepparent", "parent"}
_GUARDIANS = {"guardian", "legal guardian", "foster parent", "foster mother", "foster father"}
ILP_GRADES = {f"{g:02d}": g for g in range(6, 13)}
RESERVED_IDS = frozenset({"curriculum", "search", "assets"})
MAX_ID = 60


@dataclass(frozen=True)
class Staff:
    user: User
    role: str  # the roster's role
    school: str | None


@dataclass(frozen=True)
class Member:
    name: str
    relationship: str  # parent, guardian or relative
    email: str


@dataclass(frozen=True)
class Pupil:
    """A student of the export in grades 6 to 12 (or with no grade given)."""

    user: User
    grade: int | None
    school: str | None
    family: tuple[Member, ...]


def school_of(user: User, export: Export, roles: Collection[str]) -> str | None:
    """The name of the school of the user's first role among `roles`, else of their primary org, if a school."""
    role = user.role_among(roles)
    for org_id in (role.org if role else "", user.primary_org):
        org = export.orgs.get(org_id)
        if org is not None and org.type == "school":
            return org.name
    return None


def staff(export: Export) -> list[Staff]:
    """The staff members (not students), in the export's order, with their roster role and school."""
    found = []
    for user in sorted(export.with_role(STAFF_ROLES), key=lambda u: u.line):
        if user.role_among(("student",)) is not None:
            continue  # a student who is also an aide stays a student: never an educator of other students
        role = user.role_among(STAFF_ROLES)
        assert role is not None  # with_role chose users who have one
        found.append(Staff(user, ROSTER_ROLES[role.role], school_of(user, export, STAFF_ROLES)))
    return found


def family_of(student: User, export: Export) -> tuple[Member, ...]:
    """The student's parents, guardians and relatives: named by the student's agentSourcedIds, or naming
    the student in their own, in that order, each once."""
    agents = [export.users[a] for a in student.agents if a in export.users]
    agents += sorted(
        (u for u in export.with_role(FAMILY_ROLES) if student.sourced_id in u.agents), key=lambda u: u.line
    )
    members: dict[str, Member] = {}
    for agent in agents:
        role = agent.role_among(FAMILY_ROLES)
        if role is not None and agent.sourced_id not in members:
            members[agent.sourced_id] = Member(agent.known_name, role.role, agent.email)
    return tuple(members.values())


def pupils(export: Export) -> tuple[list[Pupil], list[User]]:
    """The students in grades 6 to 12 (or without a grade), and those the export puts in other grades."""
    found, elsewhere = [], []
    for user in sorted(export.with_role(("student",)), key=lambda u: u.line):
        grade = ILP_GRADES.get(user.grades[0]) if user.grades else None
        if user.grades and grade is None:
            elsewhere.append(user)
            continue
        found.append(Pupil(user, grade, school_of(user, export, ("student",)), family_of(user, export)))
    return found, elsewhere


def slug(text: str) -> str:
    """Lowercase ASCII letters, digits and single hyphens: 'Ana.María_Pérez' -> 'ana-maria-perez'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[: MAX_ID - 4].strip("-")


def new_id(user: User, taken: Collection[str], student: bool) -> str:
    """An id for a new student folder or educator: from the username or the email's local part, unique."""
    base = next(
        (slug(t.split("@")[0]) for t in (user.username, user.email, user.sourced_id) if slug(t.split("@")[0])), ""
    )
    if student and not base[:1].isalpha():
        base = f"student-{base}".rstrip("-")
    base = base or "educator"
    candidate, n = base, 1
    while candidate in taken or (student and candidate in RESERVED_IDS):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def roster_role(existing: str | None, sis_role: str) -> str:
    if existing in FINER_ROLES and sis_role in ("teacher", "other"):
        return existing
    return sis_role


def educator_name(existing: str | None, sis_name: str) -> str:
    if isinstance(existing, str) and (existing == sis_name or existing.endswith(f" {sis_name}")):
        return existing
    return sis_name


def relationship(existing: Any, sis_role: str) -> str:
    if not isinstance(existing, str):
        return sis_role
    word = existing.strip().lower()
    if sis_role == "parent" and word in _PARENTS:
        return existing
    if sis_role == "guardian" and word in _GUARDIANS:
        return existing
    if sis_role == "relative" and word and word not in _PARENTS | _GUARDIANS:
        return existing
    return sis_role


def _emails(item: Mapping[str, Any]) -> set[str]:
    values = item.get("emails")
    return {str(e).lower() for e in values} if isinstance(values, list) else set()


def _same(member: Member, item: Mapping[str, Any], by_email: bool) -> bool:
    if by_email:
        return bool(member.email) and member.email.lower() in _emails(item)
    return str(item.get("name", "")).casefold() == member.name.casefold()


def _match(member: Member, existing: list[Mapping[str, Any]], used: set[int]) -> Mapping[str, Any] | None:
    """The profile's entry for a member of the SIS: the one with their email, else the one with their name."""
    for by_email in (True, False):
        for index, item in enumerate(existing):
            if index not in used and _same(member, item, by_email):
                used.add(index)
                return item
    return None


def merged_family(existing: Iterable[Any], members: Iterable[Member]) -> list[dict[str, Any]]:
    """The family the SIS lists, each member keeping what the profile says that the SIS does not."""
    items = [item for item in existing if isinstance(item, Mapping)]
    used: set[int] = set()
    merged = []
    for member in members:
        match = _match(member, items, used) or {}
        item: dict[str, Any] = {
            "name": member.name,
            "relationship": relationship(match.get("relationship"), member.relationship),
        }
        if member.email:
            item["emails"] = [member.email]
        for key in ("language", "visibility"):
            if key in match:
                item[key] = match[key]
        merged.append(item)
    return merged
