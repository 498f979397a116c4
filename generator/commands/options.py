"""What several commands share: finding the repository, reading --today, and common options."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from generator.config import CONFIG_FILE
from generator.errors import IlpError


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
