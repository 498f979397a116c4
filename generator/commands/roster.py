"""`ilp roster import`: what a OneRoster 1.2 export changes in the roster and the profiles, then doing it.

Planning reads everything first (the district, the export, the caseload file, every profile) and
collects every problem; when there is one, nothing is written. Students are matched by their
profile's `sis_id`, or, for a profile that has none yet, by the student's email. A matched profile
gets the SIS's values for the keys the SIS owns (generator/sis/profiles.py); a new student gets
their folder as `ilp new` makes it, then those values. A student of the repository that the export
does not list is reported, never deleted.
"""

from __future__ import annotations

import datetime
import os
import shlex
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.check.district import District, load_district
from generator.check.student import STUDENT_ID
from generator.commands.new import scaffold_student
from generator.errors import IlpError, Report
from generator.history.git import student_repositories
from generator.load.documents import LoadError, load_yaml, parse_yaml, read_text
from generator.model.schoolyear import graduation_year_for, school_year, school_year_label
from generator.model.source import Doc
from generator.sis.caseloads import Caseload, read_caseloads
from generator.sis.oneroster import Export, User, read_export
from generator.sis.people import Pupil, new_id, pupils, staff
from generator.sis.profiles import Wanted, edit_profile
from generator.sis.rosterfile import RosterPlan, plan_roster


@dataclass(frozen=True)
class Profile:
    id: str
    rel: str
    text: str
    doc: Doc


@dataclass(frozen=True)
class NewStudent:
    id: str
    grade: int
    wanted: Wanted


@dataclass
class Plan:
    """What the import changes: files (old and new text), new student folders, and what to tell."""

    roster_rel: str
    roster: RosterPlan
    roster_ids: frozenset[str]
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)  # profile -> the keys that change
    created: list[NewStudent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _fail(report: Report, where: str = "") -> IlpError:
    errors = [d.format() for d in report.sorted() if d.severity == "error"]
    count = f"{len(errors)} problem{'s' * (len(errors) != 1)}{where}"
    return IlpError("\n".join([f"{count}; nothing was written. Fix them and run the import again:", *errors]))


def _profiles(root: Path, report: Report) -> list[Profile]:
    found = []
    folder = root / "students"
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.is_symlink() or not path.is_dir() or not STUDENT_ID.match(path.name):
            continue
        if not (path / "profile.yml").exists():
            continue
        rel = f"students/{path.name}/profile.yml"
        try:
            doc = load_yaml(path / "profile.yml", rel)
            text = read_text(path / "profile.yml", rel)
        except LoadError as exc:
            report.extend(exc.diagnostics)
            continue
        if not isinstance(doc.data, dict):
            report.error(rel, 1, "the profile is not a list of 'key: value' lines; fix it first (ilp check)")
            continue
        found.append(Profile(path.name, rel, text, doc))
    return found


def _by_sis_id(profiles: list[Profile], report: Report) -> dict[str, Profile]:
    found: dict[str, Profile] = {}
    for profile in profiles:
        sis_id = profile.doc.data.get("sis_id")
        if not isinstance(sis_id, str):
            continue
        if sis_id in found:
            report.error(
                profile.rel,
                profile.doc.line(("sis_id",)),
                f"sis_id '{sis_id}' is also the sis_id of {found[sis_id].rel}; a student has one folder: "
                "keep one of them",
            )
        found.setdefault(sis_id, profile)
    return found


def _emails(profile: Profile) -> set[str]:
    values = profile.doc.data.get("emails")
    return {str(e).lower() for e in values} if isinstance(values, list) else set()


def _match(found: list[Pupil], profiles: list[Profile], users_path: str, report: Report) -> dict[str, Profile]:
    """The profile of each student of the export that has one: by sis_id, else (no sis_id yet) by email."""
    by_sis = _by_sis_id(profiles, report)
    unmarked = [p for p in profiles if "sis_id" not in p.doc.data]
    matched: dict[str, Profile] = {}
    for pupil in found:
        profile = by_sis.get(pupil.user.sis_id)
        email = pupil.user.email.lower()
        candidates = [p for p in unmarked if email and email in _emails(p)] if profile is None else []
        if len(candidates) > 1:
            report.error(
                users_path,
                pupil.user.line,
                f"the email of {pupil.user.name} is in {' and '.join(p.rel for p in candidates)}, none of them "
                f"with a sis_id; add 'sis_id: {pupil.user.sis_id}' to the one that is theirs",
            )
        elif candidates:
            profile = candidates[0]
        if profile is not None and profile.id not in {p.id for p in matched.values()}:
            matched[pupil.user.sourced_id] = profile
    return matched


def _caseloads(
    rows: list[Caseload], plan: RosterPlan, found: list[Pupil], elsewhere: list[User], shown: str, report: Report
) -> dict[str, tuple[str, ...]]:
    """sis_id -> the ids of the educators the caseload file gives the student."""
    students = {key: p for p in found for key in (p.user.sis_id, p.user.sourced_id)}
    others = {key for u in elsewhere for key in (u.sis_id, u.sourced_id)}
    served: dict[str, list[str]] = {}
    for row in rows:
        educator = plan.emails.get(row.email.lower())
        if educator is None:
            report.error(
                shown,
                row.line,
                f"no educator has the email '{row.email}': it is neither a staff member's email in users.csv nor an "
                "educator's in the roster; correct it",
            )
        pupil = students.get(row.student)
        if pupil is None and row.student not in others:
            report.error(
                shown,
                row.line,
                f"no student in users.csv has the identifier '{row.student}' (or their row is marked tobedeleted); "
                "use the student's identifier (or sourcedId) from users.csv",
            )
        if educator is not None and pupil is not None:
            ids = served.setdefault(pupil.user.sis_id, [])
            if educator not in ids:
                ids.append(educator)
    return {key: tuple(ids) for key, ids in served.items()}


def _wanted(pupil: Pupil, district: District, export: Export, served: dict[str, tuple[str, ...]] | None) -> Wanted:
    calendar = district.framework.calendar if district.framework is not None else None
    assert calendar is not None  # plan_import stops when the framework did not load
    grade, day = pupil.grade, district.today
    return Wanted(
        name=pupil.user.name,
        preferred_name=pupil.user.preferred_given_name or None,
        grade=grade,
        graduation_year=graduation_year_for(grade, day, calendar) if grade is not None else None,
        school_year=school_year_label(school_year(day, calendar)),
        school=pupil.school,
        email=pupil.user.email or None,
        family=pupil.family if export.has_family else None,
        educators=served.get(pupil.user.sis_id) if served is not None else None,
        sis_id=pupil.user.sis_id,
        advisory=export.homerooms.get(pupil.user.sourced_id),
    )


def _notes(
    plan: Plan, export: Export, profiles: list[Profile], matched: dict[str, Profile], elsewhere: list[User]
) -> None:
    kept = {p.id for p in matched.values()}
    other_grades = {u.sis_id: u for u in elsewhere}
    for profile in profiles:
        if profile.id in kept:
            continue
        sis_id = profile.doc.data.get("sis_id")
        line = profile.doc.line(("sis_id",))
        if isinstance(sis_id, str) and sis_id in other_grades:
            grade = ",".join(other_grades[sis_id].grades)
            plan.notes.append(
                f"{profile.rel}:{line}: the SIS export has this student in grade {grade}, not 6-12; not updated"
            )
        elif isinstance(sis_id, str):
            plan.notes.append(
                f"{profile.rel}:{line}: sis_id '{sis_id}' is not in the SIS export (or is marked tobedeleted); "
                "the folder is kept: archive it by hand if the student has left"
            )
        else:
            plan.notes.append(
                f"{profile.rel}:1: no sis_id, and no student of the SIS export has its emails; the folder is kept: "
                "add the student's sis_id to it if they are in the SIS"
            )
    for ident, line in plan.roster.unlisted:
        plan.notes.append(f"{plan.roster_rel}:{line}: educator '{ident}' is not a staff member of the SIS export; kept")
    for person in plan.roster.no_email:
        plan.notes.append(
            f"{export.users_path}:{person.user.line}: staff member {person.user.name} has no email; not added to "
            "the roster (an educator needs one to sign in)"
        )
    if elsewhere:
        plan.notes.append(f"{len(elsewhere)} students of the export are not in grades 6-12; they get no ILP folder")


def _new_students(
    plan: Plan,
    found: list[Pupil],
    matched: dict[str, Profile],
    profiles: list[Profile],
    wants: dict[str, Wanted],
    export: Export,
    root: Path,
    report: Report,
) -> None:
    taken = {p.name for p in (root / "students").iterdir()} if (root / "students").is_dir() else set()
    kept = {p.id for p in matched.values()}
    unmarked = {str(p.doc.data.get("name", "")).casefold(): p for p in profiles if p.id not in kept}
    for pupil in found:
        if pupil.user.sourced_id in matched:
            continue
        if pupil.grade is None:
            report.error(
                export.users_path,
                pupil.user.line,
                f"student {pupil.user.name} has no grade; ilp needs it to start their folder "
                "(grades holds a CEDS code such as 09)",
            )
            continue
        ident = new_id(pupil.user, taken, student=True)
        taken.add(ident)
        if student_repositories(root):  # one repository per student: a folder here would sit in the district's
            plan.notes.append(
                f"new student {pupil.user.name} needs a repository of their own: create an empty one, then run "
                f"ilp new {ident} --name {shlex.quote(pupil.user.name)} --grade {pupil.grade} --repo URL, "
                "and import again"
            )
            continue
        plan.created.append(NewStudent(ident, pupil.grade, wants[pupil.user.sourced_id]))
        same = unmarked.get(pupil.user.name.casefold())
        if same is not None and "sis_id" not in same.doc.data:
            plan.notes.append(
                f"{same.rel}:1: has the name of new student {pupil.user.name} (students/{ident}/) but no sis_id; "
                f"if it is the same student, add 'sis_id: {pupil.user.sis_id}' to it and run the import again"
            )


def _updates(plan: Plan, matched: dict[str, Profile], wants: dict[str, Wanted], report: Report) -> None:
    for key, profile in matched.items():
        edited = edit_profile(profile.text, profile.doc.data, wants[key])
        if edited is None:
            report.error(profile.rel, 1, "write the profile one 'key: value' a line, so the import can update it")
        elif edited[1]:
            plan.changed[profile.rel] = (profile.text, edited[0])
            plan.updated[profile.rel] = edited[1]


def plan_import(
    root: Path, source: Path, shown: str, caseloads: Path | None, today: datetime.date | None
) -> tuple[Plan, District]:
    """Everything the import would change; an IlpError listing every problem when there is any."""
    district, problems, _ = load_district(root, today)
    if district.framework is None or district.roster is None or problems.errors:
        raise _fail(problems, " in the district's configuration, framework or roster (ilp check shows them)")
    report = Report()
    export = read_export(source, shown, report)
    rows = read_caseloads(caseloads, str(caseloads), report) if caseloads is not None else None
    profiles = _profiles(root, report)
    if export is None or report.errors:
        raise _fail(report)
    roster_rel = district.options.roster
    roster_text = read_text(root / roster_rel, roster_rel)
    roster = plan_roster(roster_text, parse_yaml(roster_text, roster_rel), staff(export), export.users_path, report)
    plan = Plan(roster_rel, roster, frozenset(district.roster) | frozenset(roster.added))
    if roster.text != roster_text:
        plan.changed[roster_rel] = (roster_text, roster.text)
    found, elsewhere = pupils(export)
    served = _caseloads(rows, roster, found, elsewhere, str(caseloads), report) if rows is not None else None
    matched = _match(found, profiles, export.users_path, report)
    wants = {p.user.sourced_id: _wanted(p, district, export, served) for p in found}
    _updates(plan, matched, wants, report)
    _new_students(plan, found, matched, profiles, wants, export, root, report)
    if report.errors:
        raise _fail(report)
    _notes(plan, export, profiles, matched, elsewhere)
    return plan, district


def _write(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, renamed over it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def apply(root: Path, plan: Plan, district: District) -> list[str]:
    """Write the plan (the roster first: the new students' educators must be in it); the paths changed."""
    assert district.framework is not None  # plan_import stops when it did not load
    for rel, (_, new) in plan.changed.items():
        _write(root / rel, new)
    for student in plan.created:
        wanted = student.wanted
        scaffold_student(
            root,
            student.id,
            wanted.name,
            student.grade,
            district.framework,
            district.options,
            district.today,
            wanted.school,
            wanted.educators or (),
            wanted.preferred_name,
            plan.roster_ids,
        )
        rel = f"students/{student.id}/profile.yml"
        text = read_text(root / rel, rel)
        edited = edit_profile(text, parse_yaml(text, rel).data, wanted)
        if edited is not None and edited[1]:
            _write(root / rel, edited[0])
    return [*plan.changed, *(f"students/{s.id}/" for s in plan.created)]
