"""The pinned published schemas (generator/schemas/external/, see SOURCES.md there) and validation
against them, offline.

Every schema is registered under its own `$id`; a `$ref` to anything else is an error, never a
download. The `format` keywords the schemas use are checked here, so the result does not depend on
which optional packages jsonschema finds installed.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from jsonschema import FormatChecker
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource

CLR = "clr_v2p0_clrcredential_schema.json"
ACHIEVEMENT_CREDENTIAL = "ob_v3p0_achievementcredential_schema.json"
JSON_RESUME = "jsonresume_schema.json"
PINNED = (CLR, ACHIEVEMENT_CREDENTIAL, JSON_RESUME)

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_LONGEST = 300  # characters of a message; a value quoted in full could be a whole credential


@cache
def pinned(name: str) -> dict[str, Any]:
    """A pinned schema, parsed."""
    text = (resources.files("generator") / "schemas" / "external" / name).read_text(encoding="utf-8")
    value: dict[str, Any] = json.loads(text)
    return value


@cache
def _registry() -> Registry[Any]:
    """The pinned schemas by their `$id`s. A registry retrieves nothing it was not given: a `$ref`
    to any other address fails (referencing.exceptions.Unresolvable) instead of downloading."""
    registry: Registry[Any] = Registry()
    return registry.with_resources((pinned(name)["$id"], Resource.from_contents(pinned(name))) for name in PINNED)


def _formats() -> FormatChecker:
    checker = FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not _DATE_TIME.match(value):
            return False
        datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        return True

    @checker.checks("date", raises=ValueError)
    def _date(value: object) -> bool:
        if not isinstance(value, str):
            return True
        return len(value) == 10 and datetime.date.fromisoformat(value) is not None

    @checker.checks("uri")
    def _uri(value: object) -> bool:
        return not isinstance(value, str) or (bool(urlsplit(value).scheme) and " " not in value)

    @checker.checks("email")
    def _email(value: object) -> bool:
        return not isinstance(value, str) or bool(_EMAIL.match(value))

    return checker


@cache
def validator(name: str) -> Validator:
    """The validator of a pinned schema, for the JSON Schema draft it declares."""
    schema = pinned(name)
    cls = validator_for(schema)
    return cls(schema, registry=_registry(), format_checker=_formats())


def _where(path: Any) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the document)"


def _short(error: ValidationError) -> str:
    message = error.message
    return message if len(message) <= _LONGEST else message[: _LONGEST - 1] + "…"


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The most specific reasons behind an error: `oneOf`/`anyOf` failures explain themselves by their
    branches, of which the ones that got furthest into the value are the likely intent."""
    if error.validator in ("oneOf", "anyOf", "allOf") and error.context:
        depth = max(len(e.absolute_path) for e in error.context)
        deepest = [e for e in error.context if len(e.absolute_path) == depth]
        if depth > len(error.absolute_path):
            for sub in deepest:
                yield from _leaves(sub)
            return
    yield error


def problems(doc: Any, name: str, prefix: str = "") -> list[str]:
    """What is wrong with `doc` against pinned schema `name`: one `where: what` message per problem,
    sorted, empty when the document is valid."""
    found: set[str] = set()
    for error in validator(name).iter_errors(doc):
        for leaf in _leaves(error):
            where = _where([*([prefix] if prefix else []), *leaf.absolute_path])
            found.add(f"{where}: {_short(leaf)}")
    return sorted(found)
