"""A OneRoster 1.2 CSV export -> plain dataclasses: the district's orgs, and its users with their roles.

The export is read as the 1EdTech OneRoster 1.2 CSV binding describes it: ``manifest.csv``
(``propertyName,value``; ``oneroster.version`` 1.2, ``file.<name>`` bulk, delta or absent),
``orgs.csv``, ``users.csv`` (people; their parents and guardians are linked by ``agentSourcedIds``),
``roles.csv`` (each user's roles at each org, ``roleType`` primary or secondary), and, when the
manifest has them, ``enrollments.csv``, ``classes.csv``, ``courses.csv`` and ``academicSessions.csv``,
which are checked (ids, values, references) but not used. Rows with ``status`` ``tobedeleted``
count as absent. Every problem of every file is collected, with its ``file:line``; the caller
writes nothing when there is any.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Report, did_you_mean, expected
from generator.sis.bundle import Row, Table, read_bundle, require_columns
from generator.sis.spec import EMAIL, FAMILY_ROLES, FILES, GRADES, MAX_SIS_ID, NEEDED, SPECS, STAFF_ROLES, Spec


@dataclass(frozen=True)
class Org:
    sourced_id: str
    name: str
    type: str
    line: int


@dataclass(frozen=True)
class Role:
    role: str
    primary: bool
    org: str
    line: int


@dataclass(frozen=True)
class User:
    """A person of the export, with their roles (primary ones first)."""

    sourced_id: str
    line: int
    username: str
    given_name: str
    family_name: str
    preferred_given_name: str
    identifier: str
    email: str
    agents: tuple[str, ...]
    grades: tuple[str, ...]
    primary_org: str
    roles: tuple[Role, ...]

    @property
    def sis_id(self) -> str:
        """What a profile's `sis_id` holds: the identifier, or the sourcedId when there is none."""
        return self.identifier or self.sourced_id

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def known_name(self) -> str:
        """The name people use: the preferred given name when there is one."""
        return f"{self.preferred_given_name or self.given_name} {self.family_name}"

    def role_among(self, wanted: Collection[str]) -> Role | None:
        """The first of the user's roles that is one of `wanted` (a primary role before a secondary one)."""
        return next((r for r in self.roles if r.role in wanted), None)


@dataclass(frozen=True)
class Export:
    """What the district's SIS says: its orgs and its users (rows marked tobedeleted left out)."""

    users_path: str
    orgs: dict[str, Org]
    users: dict[str, User]
    has_family: bool  # whether the export lists parents, guardians or relatives at all
    homerooms: dict[str, str] = field(default_factory=dict)  # a student's sourcedId -> their homeroom class's title

    def with_role(self, wanted: Collection[str]) -> list[User]:
        return [u for u in self.users.values() if u.role_among(wanted) is not None]


@dataclass
class _Rows:
    """The rows of one file that count (not tobedeleted), by sourcedId, and the ids marked tobedeleted."""

    table: Table | None
    live: dict[str, Row]
    deleted: set[str]


def _manifest(table: Table | None, path: str, report: Report) -> dict[str, tuple[str, int]]:
    """file name -> 'bulk' or 'absent' as the manifest says, and its line (delta and unknown modes are errors)."""
    if table is None:
        report.error(path, 1, "the export has no manifest.csv; export the complete OneRoster 1.2 bundle from the SIS")
        return {}
    if not require_columns(table, ("propertyName", "value"), report):
        return {}
    modes: dict[str, tuple[str, int]] = {}
    version = None
    for row in table.rows:
        name, value = row.get("propertyName"), row.get("value")
        if name == "oneroster.version":
            version = value
            if not value.startswith("1.2"):
                report.error(
                    table.path,
                    row.line,
                    f"oneroster.version is '{value}'; ilp reads OneRoster 1.2 exports (with roles.csv): "
                    "export OneRoster 1.2 from the SIS",
                )
        elif name.startswith("file.") and name[5:] in FILES:
            if value not in ("bulk", "delta", "absent"):
                report.error(table.path, row.line, f"{name} is '{value}' {expected(('bulk', 'delta', 'absent'))}")
            elif value == "delta":
                report.error(
                    table.path,
                    row.line,
                    f"{name} is 'delta' (only what changed); ilp roster import needs the whole roster: "
                    "export again in bulk mode",
                )
            else:
                modes[name[5:]] = (value, row.line)
    if version is None:
        report.error(table.path, 1, "the manifest has no oneroster.version row; add 'oneroster.version,1.2'")
    return modes


def _check_row(file: str, row: Row, spec: Spec, path: str, report: Report) -> None:
    for column in spec.required:
        if not row.get(column):
            report.error(path, row.line, f"{column} is empty; every row of {file}.csv needs one")
    for column, values, extensible in spec.enums:
        value = row.get(column)
        if value and value not in values and not (extensible and value.startswith("ext:")):
            report.error(
                path,
                row.line,
                f"unknown {column} '{value}'{did_you_mean(value, values)} {expected(values)}; "
                "correct it in the SIS export (values are case-sensitive)",
            )
    status = row.get("status")
    if status and status not in ("active", "tobedeleted"):
        report.error(path, row.line, f"unknown status '{status}' (expected: active, tobedeleted, or empty)")


def _collect(file: str, table: Table | None, report: Report) -> _Rows:
    rows = _Rows(table, {}, set())
    if table is None or not require_columns(table, SPECS[file].columns, report):
        rows.table = None
        return rows
    first: dict[str, int] = {}
    for row in table.rows:
        _check_row(file, row, SPECS[file], table.path, report)
        key = row.get("sourcedId")
        if not key:
            continue
        if row.get("status") == "tobedeleted":
            rows.deleted.add(key)
        elif key in first:
            report.error(
                table.path,
                row.line,
                f"sourcedId '{key}' appears twice (first on line {first[key]}); each row needs its own sourcedId",
            )
        else:
            first[key] = row.line
            rows.live[key] = row
    return rows


def _check_refs(files: dict[str, _Rows], modes: dict[str, str], report: Report) -> None:
    for file, rows in files.items():
        if rows.table is None:
            continue
        for column, target in SPECS[file].refs:
            if modes.get(target) != "bulk" or files[target].table is None:
                continue  # the manifest says the file is absent: nothing to check against
            known, gone = files[target].live, files[target].deleted
            for row in rows.live.values():
                for ref in row.items(column):
                    if ref not in known and ref not in gone and ref != "NULL":
                        report.error(
                            rows.table.path,
                            row.line,
                            f"{column} '{ref}' is not a sourcedId in {target}.csv; "
                            f"add that row to {target}.csv or correct the id",
                        )


def _grades(row: Row, path: str, report: Report) -> tuple[str, ...]:
    """The CEDS grade codes of a user ('9', as a spreadsheet writes '09', is read as '09')."""
    found = []
    for code in row.items("grades"):
        code = f"0{code}" if len(code) == 1 and code.isdigit() else code
        if code not in GRADES:
            report.error(
                path,
                row.line,
                f"unknown grade '{code}'{did_you_mean(code, GRADES)}; OneRoster grades are CEDS codes such as 06, 09, 12, KG",
            )
        else:
            found.append(code)
    return tuple(found)


def _roles(files: dict[str, _Rows]) -> dict[str, list[Role]]:
    """Each user's roles that ilp knows (an 'ext:' role or one at an org marked tobedeleted is left out)."""
    by_user: dict[str, list[Role]] = {}
    users, orgs = files["users"].live, files["orgs"].live
    for row in files["roles"].live.values():
        user, org = row.get("userSourcedId"), row.get("orgSourcedId")
        if user in users and org in orgs and not row.get("role").startswith("ext:"):
            role = Role(row.get("role"), row.get("roleType") == "primary", org, row.line)
            by_user.setdefault(user, []).append(role)
    for roles in by_user.values():
        roles.sort(key=lambda r: (not r.primary, r.line))
    return by_user


def _user(row: Row, roles: list[Role], path: str, report: Report) -> User:
    for column in ("givenName", "familyName", "preferredGivenName"):
        if "\n" in row.get(column):
            report.error(path, row.line, f"{column} holds a line break; a name is one line")
    email = row.get("email")
    if email and not EMAIL.match(email):
        report.error(
            path,
            row.line,
            f"email '{email}' is not a plain ASCII address such as name@school.org (the web server compares "
            "addresses in that form); correct it in the SIS",
        )
    return User(
        sourced_id=row.get("sourcedId"),
        line=row.line,
        username=row.get("username"),
        given_name=row.get("givenName"),
        family_name=row.get("familyName"),
        preferred_given_name=row.get("preferredGivenName"),
        identifier=row.get("identifier"),
        email=email if EMAIL.match(email) else "",
        agents=row.items("agentSourcedIds"),
        grades=_grades(row, path, report),
        primary_org=row.get("primaryOrgSourcedId"),
        roles=tuple(roles),
    )


def _users(files: dict[str, _Rows], report: Report) -> dict[str, User]:
    table = files["users"].table
    assert table is not None  # only called when users.csv was read
    roles = _roles(files)
    named = {r.get("userSourcedId") for r in files["roles"].live.values()}
    users: dict[str, User] = {}
    for key, row in files["users"].live.items():
        if key not in named and files["roles"].table is not None:
            report.error(
                table.path,
                row.line,
                f"user '{key}' has no row in roles.csv; add their role there (OneRoster 1.2 keeps roles in roles.csv)",
            )
        users[key] = _user(row, roles.get(key, []), table.path, report)
    _unique(users, table.path, report)
    return users


def _unique(users: dict[str, User], path: str, report: Report) -> None:
    """Students' identifiers and staff members' emails: each names one person."""
    ids: dict[str, User] = {}
    emails: dict[str, User] = {}
    for user in users.values():
        if user.role_among(("student",)) is not None:
            if len(user.sis_id) > MAX_SIS_ID:
                report.error(path, user.line, f"identifier is longer than {MAX_SIS_ID} characters")
            other = ids.setdefault(user.sis_id, user)
            if other is not user:
                report.error(
                    path,
                    user.line,
                    f"identifier '{user.sis_id}' is also the identifier of student '{other.sourced_id}' "
                    f"(line {other.line}); each student needs their own identifier",
                )
        if user.email and user.role_among(STAFF_ROLES) is not None:
            other = emails.setdefault(user.email.lower(), user)
            if other is not user:
                report.error(
                    path,
                    user.line,
                    f"email '{user.email}' is also the email of staff member '{other.sourced_id}' "
                    f"(line {other.line}); each staff member needs their own email",
                )


def read_export(source: Path, shown: str, report: Report) -> Export | None:
    """The export at `source` (a zip or a folder; `shown` is how messages name it), or None when any row is bad."""
    before = len(report.errors)
    tables, missing = read_bundle(source, shown, ["manifest.csv", *(f"{f}.csv" for f in FILES)], report)
    if not tables and not missing:
        return None
    manifest = _manifest(tables.get("manifest.csv"), f"{shown.rstrip('/')}/manifest.csv", report)
    modes = _modes(manifest, missing, tables, shown, report)
    files = {f: _collect(f, tables.get(f"{f}.csv") if modes.get(f) == "bulk" else None, report) for f in FILES}
    _check_refs(files, modes, report)
    if files["users"].table is None or files["orgs"].table is None:
        return None
    users = _users(files, report)
    orgs = {k: Org(k, r.get("name"), r.get("type"), r.line) for k, r in files["orgs"].live.items()}
    for org in orgs.values():
        if "\n" in org.name:
            report.error(files["orgs"].table.path, org.line, "name holds a line break; a school's name is one line")
    if len(report.errors) > before:
        return None
    has_family = any(u.role_among(FAMILY_ROLES) for u in users.values())
    return Export(files["users"].table.path, orgs, users, has_family, _homerooms(files))


def _homerooms(files: dict[str, _Rows]) -> dict[str, str]:
    """Each student's homeroom (OneRoster's classType `homeroom`): the advisory group, when the SIS keeps one."""
    classes = {
        key: row.get("title") for key, row in files["classes"].live.items() if row.get("classType") == "homeroom"
    }
    found: dict[str, str] = {}
    for row in sorted(files["enrollments"].live.values(), key=lambda r: r.line):
        title = " ".join(classes.get(row.get("classSourcedId"), "").split())
        if row.get("role") == "student" and title:
            found.setdefault(row.get("userSourcedId"), title)
    return found


def _modes(
    manifest: dict[str, tuple[str, int]], missing: set[str], tables: dict[str, Table], shown: str, report: Report
) -> dict[str, str]:
    """Each file's mode: as the manifest says, else bulk when the file is there; a needed file must be bulk."""
    modes: dict[str, str] = {}
    path = f"{shown.rstrip('/')}/manifest.csv"
    for file in FILES:
        mode, line = manifest.get(file, ("absent" if f"{file}.csv" in missing else "bulk", 1))
        if mode == "bulk" and f"{file}.csv" in missing:
            report.error(path, line, f"file.{file} is 'bulk' but the export has no {file}.csv; export it")
            mode = "absent"
        elif mode == "absent" and file in NEEDED and "manifest.csv" in tables:
            report.error(path, line, f"ilp roster import needs {file}.csv (file.{file} must be 'bulk'); export it")
        modes[file] = mode
    return modes
