"""The caseload file: which educators serve which students (`staff_email,student_identifier`, one pair a row).

A SIS does not say who a student's counselor or advisor is in OneRoster, so a district that wants
`ilp roster import` to set the profiles' `educators:` exports (or writes) this file beside the
bundle. Column names are read without regard to case, spaces, hyphens and underscores, so
`staffEmail`, `Staff Email` and `staff_email` are one column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Report
from generator.sis.bundle import read_csv_file

STAFF = "staffemail"
STUDENT = "studentidentifier"


@dataclass(frozen=True)
class Caseload:
    """One row: a staff member (by email) who serves a student (by SIS identifier)."""

    email: str
    student: str
    line: int


def _column(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name).lower()


def read_caseloads(file: Path, shown: str, report: Report) -> list[Caseload] | None:
    """The rows of the caseload file, or None when it cannot be read or lacks a column (reported)."""
    table = read_csv_file(file, shown, report)
    if table is None:
        return None
    by_key = {_column(c): c for c in table.columns}
    missing = [label for key, label in ((STAFF, "staff_email"), (STUDENT, "student_identifier")) if key not in by_key]
    for label in missing:
        report.error(
            shown,
            1,
            f"the header has no column '{label}'; a caseload file has the columns staff_email,student_identifier "
            f"(the header is: {','.join(table.columns)})",
        )
    if missing:
        return None
    rows = []
    for row in table.rows:
        email, student = row.get(by_key[STAFF]), row.get(by_key[STUDENT])
        if not email or not student:
            report.error(shown, row.line, "staff_email and student_identifier both need a value on every row")
            continue
        rows.append(Caseload(email, student, row.line))
    return rows
