"""Commands registered by generator/cli.py (filled in by their issue)."""

from __future__ import annotations

import click

COMMANDS: tuple[click.Command, ...] = ()
