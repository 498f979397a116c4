"""The `ilp` command: check, new, schema, reference."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from generator import __version__
from generator.commands import build_cli, district_cli, repos_cli, roster_cli, year_cli
from generator.commands.check_formats import FORMATS, Counts, render
from generator.commands.options import (
    ListingGroup,
    _root,
    _today,
    audience_option,
    chosen_audience,
    find_root,
    root_option,
    strict_option,
    today_option,
)
from generator.errors import IlpError


class _Group(ListingGroup):
    """Turns an unexpected exception into one line (and the traceback with --verbose)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # The reader of our output went away (`ilp links ID | head -1`): stop quietly, as cat does.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:
            if ctx.params.get("verbose"):
                raise
            raise IlpError(
                f"internal error: {type(exc).__name__}: {exc}. This is a bug in ilp, not in your files; "
                "run again with --verbose and report the output"
            ) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ilp")
@click.option("--verbose", is_flag=True, help="Show the full traceback of an internal error.")
def main(verbose: bool) -> None:
    """Individual Learning Plans from Markdown and YAML files in git."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@root_option
@today_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format: text (path:line: message), json (for tools), github (annotations on the lines, "
    "in GitHub Actions) or gitlab (a Code Quality report for a merge request, in GitLab CI).",
)
@click.option(
    "--progress",
    is_flag=True,
    help="Also list this grade's activities and checklist items not done yet, by name and id.",
)
@strict_option
def check(paths: tuple[Path, ...], root: str | None, today: str | None, fmt: str, progress: bool, strict: bool) -> None:
    """Check the framework, lessons, roster and student folders.

    PATHS are files or folders in the repository (default: all of it). Every
    problem is printed as path:line: message. The exit code is 1 if there is
    any error; warnings do not fail the check (with --strict they do).
    """
    from generator.commands.check import run_check

    if root is not None or not paths:
        base = _root(root)
    else:
        first = Path(os.path.abspath(paths[0]))  # not resolved: a symlinked folder is reported, not followed
        base = find_root(first.parent if first.is_file() else first)
    absolute = [Path(os.path.abspath(p)) for p in paths]
    for path, given in zip(absolute, paths, strict=True):
        if not (path.is_relative_to(Path(os.path.abspath(base))) or path.is_relative_to(base.resolve())):
            raise IlpError(f"{given} is not inside the ILP repository {base}")
    result = run_check(base, absolute, _today(today))
    shown = [d for d in result.report.sorted() if progress or d.severity != "info"]
    errors = sum(d.severity == "error" for d in shown)
    warnings = sum(d.severity == "warning" for d in shown)
    output, summary = render(shown, fmt, Counts(errors, warnings, result.students, result.lessons))
    click.echo(output, nl=False)
    if summary is not None:
        click.echo(summary, err=True)
    sys.exit(1 if errors or (strict and warnings) else 0)


@main.command()
@click.argument("student_id", metavar="ID")
@click.option("--name", required=True, metavar="NAME", help="The student's full name.")
@click.option("--grade", required=True, type=click.IntRange(6, 12), metavar="N", help="The student's grade now (6-12).")
@click.option("--preferred-name", metavar="NAME", help="The name the student wants to be called.")
@click.option("--school", metavar="NAME", help="The student's school.")
@click.option(
    "--educator",
    "educators",
    multiple=True,
    metavar="ID",
    help="Roster id of an educator who serves the student (repeat for more).",
)
@click.option(
    "--repo",
    "repo_url",
    metavar="URL",
    help="Keep the folder in the student's own repository at URL (new and empty), checked out as a submodule.",
)
@root_option
@today_option
def new(
    student_id: str,
    name: str,
    grade: int,
    preferred_name: str | None,
    school: str | None,
    educators: tuple[str, ...],
    repo_url: str | None,
    root: str | None,
    today: str | None,
) -> None:
    """Start a new student's ILP folder in students/ID/.

    The folder gets a profile, a first goal to edit, the grade's checklist,
    a course plan, an experiences list and a starter page for each section of
    the framework. It never overwrites an existing folder.
    """
    from generator.check.district import load_district
    from generator.commands.check import run_check
    from generator.commands.new import scaffold_student

    base = _root(root)
    district, report, _ = load_district(base, _today(today), lesson_bodies=False)  # the lessons are not shown
    framework, options, day = district.framework, district.options, district.today
    if framework is None or report.errors:
        for diagnostic in report.sorted():
            click.echo(diagnostic.format(), err=True)
        raise IlpError("fix the framework and configuration first")
    roster = district.roster or {}
    if repo_url is not None:
        from generator.history import repos

        repos.repository_of(base).close()  # the district must be in git before anything is pushed
        if not repo_url.startswith("file://") and Path(repo_url).exists():
            repo_url = str(Path(repo_url).resolve())  # a path on this machine, as typed here
        if repos.has_commits(repo_url):
            raise IlpError(f"--repo {repo_url} already has commits; to bring in an existing ILP use ilp import")
    written = scaffold_student(
        base, student_id, name, grade, framework, options, day, school, educators, preferred_name, frozenset(roster)
    )
    if repo_url is not None:
        try:
            repos.push_new(base / "students" / student_id, repo_url, f"Start the ILP of {student_id}")
            repos.add_submodule(base, repo_url, f"students/{student_id}")
        except BaseException:
            import shutil

            shutil.rmtree(base / "students" / student_id, ignore_errors=True)  # nothing half-made is left
            raise
        click.echo(f"students/{student_id} is the student's own repository {repo_url}, a submodule of the district.")
    click.echo(f"Created students/{student_id}/ with {len(written)} files:")
    for rel in written:
        click.echo(f"  {rel}")
    result = run_check(base, [base / "students" / student_id], day)
    problems_found = [d for d in result.report.sorted() if d.severity != "info"]
    for diagnostic in problems_found:
        click.echo(diagnostic.format(), err=True)
    click.echo(f"Next: edit students/{student_id}/profile.yml and goals.yml, then run: ilp check students/{student_id}")
    if any(d.severity == "error" for d in problems_found):
        sys.exit(1)


@main.command()
@click.option(
    "--out",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the schemas to.",
)
def schema(out: Path) -> None:
    """Write the JSON Schemas of every ILP file, for editors and other tools."""
    from generator.check.schemas import SCHEMA_NAMES, schema_file_name, schema_texts

    out.mkdir(parents=True, exist_ok=True)
    for name in SCHEMA_NAMES:
        (out / schema_file_name(name)).write_text(schema_texts()[name], encoding="utf-8")
    click.echo(f"Wrote {len(SCHEMA_NAMES)} schemas to {out}")


@main.command()
@click.option(
    "--out",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write to (default: content/reference).",
)
@root_option
def reference(out: Path | None, root: str | None) -> None:
    """Write the file and field reference pages, generated from the schemas."""
    from generator.commands.reference import reference_pages

    folder = out if out is not None else _root(root) / "content" / "reference"
    folder.mkdir(parents=True, exist_ok=True)
    pages = reference_pages()
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    click.echo(f"Wrote {len(pages)} reference pages to {folder}")


@main.command()
@click.argument("student_id", metavar="ID")
@audience_option("student")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="HOST", help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, metavar="PORT", help="The port to listen on.")
@root_option
@today_option
def serve(student_id: str, audience: str | None, host: str, port: int, root: str | None, today: str | None) -> None:
    """Preview one student's portfolio; it reloads when you save a file.

    Open the address it prints. --as family shows what the family sees.
    """
    from generator.check.options import load_options
    from generator.commands.serve import serve as run_serve

    base = _root(root)
    options, _, _ = load_options(base)
    chosen = chosen_audience(audience, options, "student" if "student" in options.audiences else options.full_access[0])
    run_serve(base, student_id, chosen, host, port, _today(today))


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--per-student-repos",
    is_flag=True,
    help="Make it with one repository per student: FOLDER/students/<id>.git, FOLDER/district.git, FOLDER/district/.",
)
def demo(folder: Path, per_student_repos: bool) -> None:
    """Create the sample district as a git repository with two school years of history.

    Then build it with: ilp build --root FOLDER (with --per-student-repos: --root FOLDER/district)
    """
    import tempfile

    from generator.commands.demo import make_demo

    if not per_student_repos:
        commits = make_demo(folder, file_urls=True)
        click.echo(
            f"Created the demo district in {folder} ({commits} commits). Build it with: ilp build --root {folder}"
        )
        return
    from generator.commands.split import split_district

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise IlpError(f"{folder} already exists and is not empty; choose a new folder")
    with tempfile.TemporaryDirectory(prefix="ilp-demo-") as work:
        make_demo(Path(work) / "district")
        made = split_district(Path(work) / "district", folder)
    click.echo(
        f"Created the demo district in {folder}: {len(made) - 2} students' repositories, district.git, district/."
    )
    click.echo(f"Build it with: ilp build --root {folder / 'district'}")


@main.command()
@click.argument("student_id", metavar="ID")
@click.option(
    "--pdf", "pdf", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Where to write the handout."
)
@audience_option("the conference option's audience (family unless mkdocs.yml sets another)")
@root_option
@today_option
def conference(student_id: str, pdf: Path, audience: str | None, root: str | None, today: str | None) -> None:
    """Print a student's conference deck as a handout PDF, each slide starting a page (needs headless Chromium)."""
    from generator.check.options import load_options
    from generator.commands.conference import print_deck

    base = _root(root)
    options, _, _ = load_options(base)
    chosen = chosen_audience(audience, options, options.conference)
    slides = print_deck(base, student_id, chosen, pdf, _today(today))
    click.echo(f"Wrote {pdf}: the {chosen} deck of students/{student_id}, {slides} slides, each starting a page.")


for _module in (build_cli, district_cli, repos_cli, roster_cli, year_cli):
    for _command in _module.COMMANDS:
        main.add_command(_command)


if __name__ == "__main__":
    main()
