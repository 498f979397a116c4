"""The access rules as a forge's repository permissions (pure): who may push and who may read which repository.

With one repository per student (`ilp split`), git itself must keep students out of each other's
files, as the web server keeps them out of each other's sites. From the same rules as `access()`:

- each student writes their own repository (they push their pages and goals);
- each educator who reads a student's educator view (their caseload, or as the roster grants)
  reads that student's repository (`write` when the district lets educators commit reviews there);
- every educator of the roster reads the district's repository (roster, pages, lessons); no student does;
- family members and advisory groups get no repository: they read their views on the site.
"""

from __future__ import annotations

import csv
import io

from generator.config import Options, Roles
from generator.deploy.access import Access

HEADER = ("repository", "person", "permission", "why")


def permissions(
    rules: Access,
    options: Options,
    educators: dict[str, tuple[str, ...]],
    url: str,
    students: frozenset[str],
    educator_permission: str = "read",
) -> list[tuple[str, str, str, str]]:
    """Rows of (repository, person, permission, why); `educators` maps each roster id to its emails, and
    `students` holds the ids of the students (other folders, such as the lessons, have no repository)."""
    roles = Roles(options)
    rows: set[tuple[str, str, str, str]] = set()
    for email, prefixes in rules.readers.items():
        for prefix in prefixes:
            audience, _, rest = prefix.partition("/")
            student_id = rest.strip("/")
            if student_id not in students:
                continue
            repository = url.format(top="students", id=student_id)
            if audience == roles.student:
                rows.add((repository, email, "write", "the student"))
            elif audience == roles.educator:
                rows.add((repository, email, educator_permission, "an educator who serves the student"))
    for emails in educators.values():
        for email in emails:
            rows.add(("district", email.lower(), "read", "an educator of the roster"))
    return sorted(rows, key=lambda r: (r[0] != "district", r[0], r[2] != "write", r[1]))


def permissions_csv(rows: list[tuple[str, str, str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()
