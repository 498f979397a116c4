"""What several commands share: finding the repository, reading --today, and common options."""

from __future__ import annotations

import datetime
import inspect
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from generator.config import CONFIG_FILE, Options
from generator.errors import IlpError, did_you_mean

FC = TypeVar("FC", bound=Callable[..., object])


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds mkdocs.yml."""
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise IlpError(f"no {CONFIG_FILE} in {start} or above it; run ilp inside your ILP repository, or pass --root")


def _root(value: str | None) -> Path:
    if value is None:
        return find_root(Path.cwd())
    root = Path(value)
    if not root.is_dir():
        raise IlpError(f"--root {value}: no such folder")
    return root


def _today(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD", param_hint="--today") from exc


root_option = click.option(
    "--root", metavar="DIR", help="The ILP repository (default: the nearest folder with mkdocs.yml)."
)
today_option = click.option(
    "--today", metavar="YYYY-MM-DD", help="Work as of this date (default: the as_of option, or today)."
)

link_key_option = click.option(
    "--link-key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="ILP_LINK_KEY_FILE",
    help="The district's link key, a file outside the repository (or ILP_LINK_KEY_FILE).",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Count warnings as errors: exit 1 if there is any (for a district's CI)."
)


def summary(command: click.Command) -> str:
    """The first paragraph of a command's help, whole, as `ilp --help` lists it."""
    if command.short_help:
        return " ".join(command.short_help.split())
    paragraph = inspect.cleandoc(command.help or "").split("\n\n", 1)[0]
    return " ".join(word for word in paragraph.split() if word != "\b")


class ListingGroup(click.Group):
    """A command group whose listing shows each command's first paragraph whole, never cut with '...'."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, summary(command)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


AUDIENCES = ", ".join(Options().audiences)


def audience_option(default: str) -> Callable[[FC], FC]:
    """`--as AUDIENCE`: the audiences are the district's (mkdocs.yml), checked by `chosen_audience`."""
    return click.option(
        "--as",
        "audience",
        default=None,
        metavar="AUDIENCE",
        help=f"Show it as this audience sees it: one of the audiences in {CONFIG_FILE} "
        f"(built in: {AUDIENCES}). Default: {default}.",
    )


def chosen_audience(value: str | None, options: Options, default: str) -> str:
    """`--as`'s value, or `default`; an audience the district does not have is an error that lists them all."""
    chosen = value or default
    if chosen not in options.audiences:
        raise IlpError(
            f"--as {chosen}: unknown audience{did_you_mean(chosen, options.audiences)} "
            f"(expected one of the audiences in {CONFIG_FILE}: {', '.join(options.audiences)})"
        )
    return chosen


def _show_warnings() -> None:
    """Warnings reach the terminal through logging (under mkdocs.plugins.ilp, where MkDocs counts them)."""
    logger = logging.getLogger("mkdocs.plugins.ilp")
    if not any(isinstance(h, _EchoHandler) for h in logger.handlers):
        logger.addHandler(_EchoHandler(logging.WARNING))


class _EchoHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(record.getMessage(), err=True)
