"""The command that starts a school year: ilp promote."""

from __future__ import annotations

import click

from generator.commands.options import _root, _today, root_option, today_option
from generator.errors import IlpError


def _school_year(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from generator.commands.promote_model import parse_label

    if value is not None and parse_label(value) is None:
        raise click.BadParameter(
            f"'{value}' is not a school year; write two consecutive years, such as 2027-2028", ctx, param
        )
    return value


@click.command()
@click.option(
    "--to",
    "to",
    metavar="YYYY-YYYY",
    callback=_school_year,
    help="The school year to start (default: the one after the year the folders are set up for).",
)
@click.option("--dry-run", is_flag=True, help="Print the summary and a diff of every change; write nothing.")
@root_option
@today_option
def promote(to: str | None, dry_run: bool, root: str | None, today: str | None) -> None:
    """Start a school year for every student in students/.

    Each student gets the new grade's checklist items (appended to checklist.yml), a starter page
    for sections with the grade's required activities, and their unfinished goals marked
    `carried_over:` the new year (reviews then count from the year's first day); graduates move to
    graduates/ID/ with their history. Nothing a student wrote is changed: lines are only added.
    Run it in the summer. The folders are set up for the school year in the roster's `school_year:`
    (without it: in the summer, the year that just ended); during a school year, name the year to
    start with --to. Nothing is committed: review the changes with `git diff`, then commit them.
    Running it again for the same year changes nothing. Guide: content/new-school-year.md.
    """
    from generator.commands.check import run_check
    from generator.commands.promote import apply_plan, plan_promotion
    from generator.commands.promote_model import Blocked
    from generator.commands.promote_report import diff, summary

    base = _root(root)
    day = _today(today)
    try:
        plan = plan_promotion(base, to, day)
    except Blocked as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        raise IlpError(
            f"ilp promote changed nothing: fix the problems above first ({exc.check} lists them), then run it again"
        ) from exc
    if dry_run:
        for line in [*summary(plan, done=False), *diff(base, plan)]:
            click.echo(line)
        click.echo("Dry run: nothing was written. Run it again without --dry-run to make these changes.", err=True)
        return
    if not plan.changes and not plan.graduates:
        click.echo(f"Nothing to change: every student folder is set up for {plan.label} already.")
        return
    apply_plan(base, plan)
    for line in summary(plan, done=True):
        click.echo(line)
    result = run_check(base, [], day)
    shown = [d for d in result.report.sorted() if d.severity == "error"]
    for diagnostic in shown:
        click.echo(diagnostic.format(), err=True)
    warnings = sum(d.severity == "warning" for d in result.report.sorted())
    click.echo(f"ilp check: {len(shown)} errors, {warnings} warnings (run ilp check to see them)", err=True)
    click.echo("Nothing is committed. Review the changes with `git status` and `git diff`, then commit them.")
    if shown:
        raise SystemExit(1)


COMMANDS = (promote,)
