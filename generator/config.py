"""The generator's options, as the `ilp` plugin entry of ``mkdocs.yml`` gives them (defined once).

    plugins:
      - ilp:
          framework: curriculum/framework.yml

Every option has a default (see ``schemas/config.schema.json`` and
``content/reference/configuration.md``).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

CONFIG_FILE = "mkdocs.yml"
PLUGIN_NAME = "ilp"
PRIVATE = "private"


# The options are defined once, in schemas/config.schema.json: their names, defaults and meaning.
# `Options` types them (a test holds its fields to the schema), and the MkDocs plugin's config takes
# its names from OPTION_NAMES.
_PROPERTIES: dict[str, Any] = json.loads(
    resources.files("generator").joinpath("schemas", "config.schema.json").read_text(encoding="utf-8")
)["properties"]
OPTION_NAMES: tuple[str, ...] = tuple(_PROPERTIES)


def _default(name: str) -> Any:
    value = _PROPERTIES[name].get("default")
    if isinstance(value, dict):
        return tuple(sorted(value.items()))  # read-only: the options are frozen
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Options:
    """Typed generator options; see the config schema for each one's meaning and default."""

    framework: str = _default("framework")
    roster: str = _default("roster")
    reference: str = _default("reference")
    audiences: tuple[str, ...] = _default("audiences")
    full_access: tuple[str, ...] = _default("full_access")
    everyone: str = _default("everyone")
    conference: str = _default("conference")
    schema_base: str = _default("schema_base")
    as_of: str | None = _default("as_of")
    public_salt: str = _default("public_salt")
    language: str = _default("language")
    family_help_pages: tuple[tuple[str, str], ...] = _default("family_help")  # `family_help`, as pairs

    @property
    def family_help(self) -> dict[str, str]:
        """Language code -> the families' help page in it (a page of content/)."""
        return dict(self.family_help_pages)

    site_name: str = "ILP portfolios"  # MkDocs' own `site_name`, not a plugin option
    use_directory_urls: bool = True  # MkDocs' own key: False makes every link name a file (opened from disk)

    def today(self) -> datetime.date:
        """The date the district is viewed as of: `as_of`, or today."""
        return datetime.date.fromisoformat(self.as_of) if self.as_of else datetime.date.today()

    @property
    def visibility_words(self) -> tuple[str, ...]:
        """Every word a `visibility:` value may use."""
        return (PRIVATE, *self.audiences)


@dataclass(frozen=True)
class Roles:
    """Which configured audience plays which part."""

    options: Options

    @property
    def public(self) -> str:
        return self.options.everyone

    @property
    def educator(self) -> str:
        full = self.options.full_access
        return "educator" if "educator" in full else full[-1]

    @property
    def student(self) -> str:
        full = self.options.full_access
        return "student" if "student" in full else full[0]

    def curriculum_for(self, audience: str) -> str:
        """Where an audience's portfolio links lessons: educators to the facilitator edition."""
        return self.educator if audience == self.educator else self.public
