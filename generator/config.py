"""The generator's options, read from the `ilp` plugin entry of ``mkdocs.yml``.

    plugins:
      - ilp:
          framework: curriculum/framework.yml

Every option has a default (see ``schemas/config.schema.json`` and
``content/reference/configuration.md``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.check import schemas
from generator.errors import Diagnostic, expected
from generator.load.documents import Doc, LoadError, load_yaml

CONFIG_FILE = "mkdocs.yml"
PLUGIN_NAME = "ilp"
PRIVATE = "private"


@dataclass(frozen=True)
class Options:
    """Typed generator options; see the config schema for each one's meaning."""

    framework: str = "curriculum/framework.yml"
    roster: str = "students/roster.yml"
    reference: str = "curriculum/reference"
    audiences: tuple[str, ...] = ("student", "educator", "family", "advisory", "public")
    full_access: tuple[str, ...] = ("student", "educator")
    everyone: str = "public"
    conference: str = "family"
    schema_base: str = "generator/schemas"
    site_name: str = "ILP portfolios"
    as_of: str | None = None

    def today(self) -> datetime.date:
        """The date the district is viewed as of: `as_of`, or today."""
        return datetime.date.fromisoformat(self.as_of) if self.as_of else datetime.date.today()

    @property
    def visibility_words(self) -> tuple[str, ...]:
        """Every word a `visibility:` value may use."""
        return (PRIVATE, *self.audiences)


def _plugin_options(doc: Doc) -> tuple[dict[str, Any], tuple[str | int, ...]]:
    plugins = doc.data.get("plugins") if isinstance(doc.data, dict) else None
    if isinstance(plugins, list):
        for index, entry in enumerate(plugins):
            if entry == PLUGIN_NAME:
                return {}, ("plugins", index)
            if isinstance(entry, dict) and PLUGIN_NAME in entry:
                return entry[PLUGIN_NAME] or {}, ("plugins", index, PLUGIN_NAME)
    if isinstance(plugins, dict) and PLUGIN_NAME in plugins:
        return plugins[PLUGIN_NAME] or {}, ("plugins", PLUGIN_NAME)
    return {}, ()


def load_options(root: Path) -> tuple[Options, list[Diagnostic]]:
    """Read the options from ``<root>/mkdocs.yml``; defaults when there is none."""
    file = root / CONFIG_FILE
    if not file.exists():
        return Options(), []
    try:
        doc = load_yaml(file, CONFIG_FILE, tolerant_tags=True)
    except LoadError as exc:
        return Options(), list(exc.diagnostics)
    raw, at = _plugin_options(doc)
    sub = Doc(doc.path, raw, {key[len(at) :]: line for key, line in doc.lines.items() if key[: len(at)] == at})
    problems = schemas.validate(sub, "config")
    if problems:
        return Options(), problems
    site_name = doc.data.get("site_name") if isinstance(doc.data, dict) else None
    values: dict[str, Any] = {key: tuple(value) if isinstance(value, list) else value for key, value in raw.items()}
    options = Options(**values, site_name=str(site_name or Options.site_name))
    return options, _check_audiences(options, sub)


def _check_audiences(options: Options, doc: Doc) -> list[Diagnostic]:
    problems = []
    if PRIVATE in options.audiences:
        problems.append(
            Diagnostic(doc.path, doc.line(("audiences",)), "'private' is not an audience name; choose another")
        )
    if len(set(options.audiences)) != len(options.audiences):
        problems.append(Diagnostic(doc.path, doc.line(("audiences",)), "an audience is listed twice"))
    for key in ("full_access",):
        for name in getattr(options, key):
            if name not in options.audiences:
                problems.append(
                    Diagnostic(
                        doc.path, doc.line((key,)), f"{key}: unknown audience '{name}' {expected(options.audiences)}"
                    )
                )
    if options.everyone in options.full_access:
        problems.append(
            Diagnostic(
                doc.path,
                doc.line(("full_access",)),
                f"full_access includes '{options.everyone}', which would show the whole ILP to everyone; remove it",
            )
        )
    for key in ("conference", "everyone"):
        name = getattr(options, key)
        if name not in options.audiences:
            problems.append(
                Diagnostic(
                    doc.path, doc.line((key,)), f"{key}: unknown audience '{name}' {expected(options.audiences)}"
                )
            )
    return problems
