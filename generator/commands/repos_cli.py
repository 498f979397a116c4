"""The commands that move a student's ILP between repositories and districts: split, export, import."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.options import _root, _today, root_option, today_option


@click.command()
@click.option("--out", "out_dir", required=True, metavar="DIR", help="Where to write the repositories (a new folder).")
@click.option(
    "--url",
    default="../{top}/{id}.git",
    show_default=True,
    metavar="TEMPLATE",
    help="Each student's repository URL as the district refers to it; {id} is the student's id, {top} 'students' or 'graduates'.",
)
@root_option
def split(out_dir: str, url: str, root: str | None) -> None:
    """Turn this single-repository district into one repository per student.

    Writes OUT/students/<id>.git for each student (their folder, with every commit that touched it),
    OUT/district.git (no commit of it holds a student's files; the students are its submodules) and
    OUT/district/, a checkout of it ready to build. This repository is only read.
    """
    from generator.commands.split import split_district

    made = split_district(_root(root), Path(out_dir), url)
    for name in made:
        click.echo(f"Wrote {Path(out_dir) / name}")
    click.echo(
        f"Next: build it with: ilp build --root {Path(out_dir) / 'district'}; push the repositories to the forge"
    )


@click.command("export")
@click.argument("student_id", metavar="ID")
@click.option("--out", "out_dir", required=True, metavar="DIR", help="Where to write the export (a new folder).")
@click.option(
    "--graduate",
    is_flag=True,
    help="The graduation hand-over: also a summary of the years, then move the folder to graduates/ID/.",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The district's Ed25519 private key (PEM), outside the repository: clr.json is signed as clr.jwt too.",
)
@click.option("--key-id", metavar="URL", help="The id of the district's public key, for the signature (the kid).")
@root_option
@today_option
def export(
    student_id: str,
    out_dir: str,
    graduate: bool,
    key_file: Path | None,
    key_id: str | None,
    root: str | None,
    today: str | None,
) -> None:
    """Write one student's portable record, to take to another district or to keep.

    DIR gets history/ (a git repository of their folder), site/ (their own view, opened from disk),
    clr.json (Comprehensive Learner Record 2.0), resume.json (JSON Resume), export.json and README.md.
    """
    from generator.commands.export import export_student
    from generator.errors import IlpError
    from generator.export.sign import SigningKeyError, private_key
    from generator.load.documents import LoadError, read_key

    base = _root(root)
    key = None
    if key_file is not None:
        try:
            pem = read_key(key_file, base, 32, what="signing key")
            private_key(pem)
        except LoadError as exc:
            raise IlpError("\n".join(d.format() for d in exc.diagnostics)) from None
        except SigningKeyError as exc:
            raise IlpError(f"{key_file}:1: {exc}") from None
        key = (pem, key_id or f"{key_file.stem}#key-1")
    written = export_student(base, student_id, Path(out_dir), _today(today), graduate, key)
    for name in written:
        click.echo(name if name.startswith("moved ") else f"Wrote {Path(out_dir) / name}")
    if graduate:
        click.echo("Review the move with git status, then commit it.")


@click.command("import")
@click.argument("source", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--id", "new_id", metavar="NEW_ID", help="The student's id here (default: their id in the export).")
@click.option(
    "--repo", "repo_url", metavar="URL", help="Bring the ILP in as the student's own repository at URL (new, empty)."
)
@click.option(
    "--educator", "educators", multiple=True, metavar="ID", help="Roster id of an educator who serves the student here."
)
@click.option("--school", metavar="NAME", help="The student's school here.")
@root_option
@today_option
def import_(
    source: Path,
    new_id: str | None,
    repo_url: str | None,
    educators: tuple[str, ...],
    school: str | None,
    root: str | None,
    today: str | None,
) -> None:
    """Bring a student's export (from ilp export) into this district with its history, as students/ID/."""
    from generator.commands.check import run_check
    from generator.commands.importing import import_student

    base = _root(root)
    student_id = import_student(base, source, new_id, _today(today), repo_url, educators, school)
    click.echo(f"Imported students/{student_id} with its history.")
    result = run_check(base, [base / "students" / student_id], _today(today))
    for diagnostic in result.report.sorted():
        if diagnostic.severity != "info":
            click.echo(diagnostic.format(), err=True)
    click.echo(f"Next: add the student's educators and school to students/{student_id}/profile.yml, then ilp check")


COMMANDS = (split, export, import_)
