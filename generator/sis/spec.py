"""What the files of a OneRoster 1.2 CSV export hold (the 1EdTech CSV binding): columns, vocabularies, references.

Only what ilp reads or checks is listed: a file may have more columns (extensions, `metadata.*`),
in any order. A vocabulary marked extensible also takes the binding's `ext:` values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FILES = ("orgs", "users", "roles", "enrollments", "classes", "courses", "academicSessions")
NEEDED = ("orgs", "users", "roles")
ROLES = (
    "aide",
    "counselor",
    "districtAdministrator",
    "guardian",
    "parent",
    "principal",
    "proctor",
    "relative",
    "siteAdministrator",
    "student",
    "systemAdministrator",
    "teacher",
)
FAMILY_ROLES = ("parent", "guardian", "relative")
STAFF_ROLES = tuple(r for r in ROLES if r not in (*FAMILY_ROLES, "student"))
# CEDS entry grade levels, as OneRoster writes grades.
GRADES = ("IT", "PR", "PK", "TK", "KG", *(f"{n:02d}" for n in range(1, 14)), "PS", "UG", "Other")
EMAIL = re.compile(r"^[A-Za-z0-9.!#%&'*+/=?^_`|-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_SIS_ID = 255


@dataclass(frozen=True)
class Spec:
    """What a file must hold: its columns, the ones that need a value, closed vocabularies, references."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    enums: tuple[tuple[str, tuple[str, ...], bool], ...] = ()  # column, values, whether 'ext:' values are allowed
    refs: tuple[tuple[str, str], ...] = ()  # column, the file whose sourcedIds it names


SPECS: dict[str, Spec] = {
    "orgs": Spec(
        ("sourcedId", "name", "type", "parentSourcedId"),
        ("sourcedId", "name", "type"),
        (("type", ("department", "school", "district", "local", "state", "national"), True),),
        (("parentSourcedId", "orgs"),),
    ),
    "users": Spec(
        (
            "sourcedId",
            "enabledUser",
            "username",
            "givenName",
            "familyName",
            "identifier",
            "email",
            "agentSourcedIds",
            "grades",
        ),
        ("sourcedId", "givenName", "familyName"),
        (("enabledUser", ("true", "false"), False),),
        (("agentSourcedIds", "users"), ("primaryOrgSourcedId", "orgs")),
    ),
    "roles": Spec(
        ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
        ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
        (("roleType", ("primary", "secondary"), False), ("role", ROLES, True)),
        (("userSourcedId", "users"), ("orgSourcedId", "orgs")),
    ),
    "enrollments": Spec(
        ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
        ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
        (("role", ("administrator", "proctor", "student", "teacher"), True),),
        (("classSourcedId", "classes"), ("schoolSourcedId", "orgs"), ("userSourcedId", "users")),
    ),
    "classes": Spec(
        ("sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"),
        ("sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"),
        (("classType", ("homeroom", "scheduled"), True),),
        (("courseSourcedId", "courses"), ("schoolSourcedId", "orgs"), ("termSourcedIds", "academicSessions")),
    ),
    "courses": Spec(
        ("sourcedId", "title", "orgSourcedId"),
        ("sourcedId", "title", "orgSourcedId"),
        (),
        (("orgSourcedId", "orgs"), ("schoolYearSourcedId", "academicSessions")),
    ),
    "academicSessions": Spec(
        ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
        ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
        (("type", ("gradingPeriod", "semester", "schoolYear", "term"), True),),
        (("parentSourcedId", "academicSessions"),),
    ),
}
