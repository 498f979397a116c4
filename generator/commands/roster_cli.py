"""The roster commands: ilp roster import (rostering from the district's SIS, a OneRoster 1.2 export)."""

from __future__ import annotations

import datetime
import difflib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.commands.options import ListingGroup, _root, _today, root_option, today_option

if TYPE_CHECKING:
    from generator.commands.roster import Plan


@click.group(cls=ListingGroup)
def roster() -> None:
    """Keep the roster and the students' profiles in step with the district's SIS."""


@roster.command("import")
@click.argument("source", metavar="FILE", type=click.Path(path_type=Path))
@click.option(
    "--caseloads",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="A CSV file with the columns staff_email,student_identifier: it sets the profiles' educators.",
)
@click.option("--dry-run", is_flag=True, help="Print the changes as a diff and write nothing.")
@root_option
@today_option
def roster_import(source: Path, caseloads: Path | None, dry_run: bool, root: str | None, today: str | None) -> None:
    """Update students/roster.yml and the students' profiles from the SIS's OneRoster 1.2 export.

    FILE is the export: a .zip or a folder with manifest.csv, orgs.csv, users.csv, roles.csv and the
    other files.

    Staff become educators (matched by email), students get their folder as `ilp new` makes it
    (matched by their profile's sis_id), and for students already here only the fields the SIS owns
    change: name, preferred name, graduation year, school, emails, family and, with --caseloads,
    educators. A student the export does not list is reported, never deleted. When any row of the
    export is wrong, every problem is printed as file:line: message and nothing is written.
    """
    from generator.commands.roster import apply, plan_import

    base = _root(root)
    plan, district = plan_import(base, source, str(source), caseloads, _today(today))
    if dry_run:
        for rel, (old, new) in plan.changed.items():
            diff = difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{rel}", f"b/{rel}"
            )
            click.echo("".join(diff), nl=False)
    for student in plan.created:
        verb = "Would create" if dry_run else "Creating"
        school = f", {student.wanted.school}" if student.wanted.school else ""
        click.echo(f"{verb} students/{student.id}/ ({student.wanted.name}, grade {student.grade}{school})")
    for note in plan.notes:
        click.echo(note)
    if dry_run:
        click.echo(f"Dry run: {_summary(plan, 'would be ')}; nothing was written.", err=True)
        return
    touched = apply(base, plan, district)
    for rel in plan.changed:
        keys = plan.updated.get(rel) or [
            f"{len(plan.roster.added)} educators added, {len(plan.roster.updated)} updated"
        ]
        click.echo(f"Updated {rel} ({', '.join(keys)})")
    click.echo(f"ilp roster import: {_summary(plan)}.", err=True)
    if touched:
        _check(base, touched, district.today)


def _summary(plan: Plan, would: str = "") -> str:
    if not plan.changed and not plan.created:
        return "no changes, the repository already matches the SIS export"
    students, educators = len(plan.created), len(plan.roster.added)
    return (
        f"{students} student{'s' * (students != 1)} {would}created, {len(plan.updated)} {would}updated; "
        f"{educators} educator{'s' * (educators != 1)} {would}added, {len(plan.roster.updated)} {would}updated"
    )


def _check(base: Path, touched: list[str], today: datetime.date) -> None:
    """Check what the import wrote, as ilp new does (the roster is always checked with it)."""
    from generator.check.district import load_district
    from generator.commands.check import run_check

    folders = sorted({base / "/".join(rel.split("/")[:2]) for rel in touched if rel.startswith("students/")})
    folders = [f for f in folders if f.is_dir()]
    report = run_check(base, folders, today).report if folders else load_district(base, today)[1]
    errors = [d for d in report.sorted() if d.severity == "error"]
    for diagnostic in errors:
        click.echo(diagnostic.format(), err=True)
    if errors:
        sys.exit(1)


COMMANDS = (roster,)
