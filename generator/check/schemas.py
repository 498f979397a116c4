"""The JSON Schemas shipped in the package, and validation with line numbers.

The schemas in ``generator/schemas/`` are the one source of truth for the shape
of every YAML file and of front matter: ``ilp check`` validates with them,
``ilp schema`` writes them for editors, and the reference docs are generated
from them. Schema errors are turned into messages a student can act on, at the
line of the offending key. Whether a document passes at all is told by checks made once from each
schema (`passes`, generator/check/schema_checks.py): the validator's answer, without the cost of collecting
errors that are not there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from generator.check.schema_checks import Check, compile_check
from generator.errors import Diagnostic, did_you_mean, expected
from generator.model.source import Doc

if TYPE_CHECKING:  # jsonschema is imported only when a document fails its fast checks, or they need it
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

SCHEMA_NAMES = (
    "common",
    "config",
    "framework",
    "asca",
    "career-clusters",
    "riasec",
    "roster",
    "profile",
    "goals",
    "courses",
    "experiences",
    "checklist",
    "page",
    "lesson",
    "conference",
    "sharing",
)


def schema_file_name(name: str) -> str:
    return f"{name}.schema.json"


@cache
def schema_texts() -> dict[str, str]:
    """Every schema's JSON text by name, read from the package."""
    folder = resources.files("generator") / "schemas"
    return {name: (folder / schema_file_name(name)).read_text(encoding="utf-8") for name in SCHEMA_NAMES}


@cache
def schema(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(schema_texts()[name])
    return value


@cache
def _registry() -> Registry:
    from referencing import Registry, Resource

    return Registry().with_resources(
        (schema_file_name(name), Resource.from_contents(schema(name))) for name in SCHEMA_NAMES
    )


@cache
def validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(resolved(name), registry=_registry(), format_checker=FormatChecker())


# The keywords whose values are schemas (a mapping of them, a list of them, or one); the others hold data.
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMAS = ("items", "additionalProperties", "contains", "propertyNames", "not", "if", "then", "else")


@cache
def resolved(name: str) -> dict[str, Any]:
    """Schema `name` with each `$ref` to a package schema replaced by the schema it names, once, so that
    validating looks no reference up (the same errors, found without the registry's lookups on every use).

    A reference with sibling keywords becomes an `allOf` of what it names, in its place; one that
    cannot be followed, or leads back into itself, is kept for the registry."""
    value: dict[str, Any] = _resolve(schema(name), name, ())
    return value


def _resolve(node: Any, base: str, trail: tuple[tuple[str, str], ...]) -> Any:
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    target = _target(ref, base) if isinstance(ref, str) and "allOf" not in node else None
    if target is not None and target[:2] not in trail:
        inner = _resolve(target[2], target[0], (*trail, target[:2]))
        if len(node) == 1:
            return inner
        return {
            ("allOf" if k == "$ref" else k): [inner] if k == "$ref" else _keyword(k, v, base, trail)
            for k, v in node.items()
        }
    kept = {key: _keyword(key, value, base, trail) for key, value in node.items()}
    if isinstance(ref, str) and ref.startswith("#"):
        kept["$ref"] = schema_file_name(base) + ref  # still found from inside another schema
    return kept


def _keyword(key: str, value: Any, base: str, trail: tuple[tuple[str, str], ...]) -> Any:
    if key in _SCHEMA_MAPS and isinstance(value, dict):
        return {k: _resolve(v, base, trail) for k, v in value.items()}
    if key in _SCHEMA_LISTS and isinstance(value, list):
        return [_resolve(v, base, trail) for v in value]
    return _resolve(value, base, trail) if key in _SCHEMAS else value


def _target(ref: str, base: str) -> tuple[str, str, Any] | None:
    """(schema name, JSON pointer, the schema there) that `ref`, in schema `base`, names; None if unknown."""
    file, _, pointer = ref.partition("#")
    name = base if not file else file.removesuffix(".schema.json")
    if name not in SCHEMA_NAMES or file not in ("", schema_file_name(name)) or not pointer.startswith("/"):
        return None
    value: Any = schema(name)
    for part in pointer[1:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return name, pointer, value


def validate(doc: Doc, name: str) -> list[Diagnostic]:
    """Check `doc` against schema `name`; one diagnostic per problem, at its line."""
    if passes(doc.data, name):
        return []
    found: list[Diagnostic] = []
    for error in sorted(validator(name).iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path]):
        found.extend(_diagnostics(doc, error))
    return found


def passes(data: Any, name: str) -> bool:
    """Whether `data` passes schema `name`: the answer `validate` gives (no problem at all), found without
    collecting the problems, by checks made once from the resolved schema."""
    return _check(name)(data)


@cache
def _check(name: str) -> Check:
    return compile_check(resolved(name), lambda: validator(name))


def _describe_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return "nothing" if value is None else type(value).__name__


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys (key: value lines)",
    "null": "nothing",
}


def _field_name(at: tuple[str | int, ...]) -> str:
    for part in reversed(at):
        if isinstance(part, str):
            return part
    return "the file"


def _diagnostics(doc: Doc, error: ValidationError) -> Iterator[Diagnostic]:
    at = tuple(error.absolute_path)
    line = doc.line(at)
    name = _field_name(at)
    kind = error.validator
    value = error.instance
    sub: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = set(sub.get("properties", {}))
        for key in value:
            if key not in allowed:
                where = f" in {at[-1]}" if at and isinstance(at[-1], str) else ""
                yield Diagnostic(
                    doc.path,
                    doc.line((*at, key)),
                    f"unknown key '{key}'{where}{did_you_mean(key, allowed)} {expected(allowed)}",
                )
        return
    rule: Any = error.validator_value
    if kind == "required":
        missing = ", ".join(f"'{k}'" for k in rule if not isinstance(value, dict) or k not in value)
        where = f" in {at[-1]}" if at and isinstance(at[-1], str) else ""
        message = f"missing required key {missing}{where}"
    elif kind == "enum":
        message = f"unknown {name} '{value}' {expected(str(v) for v in rule)}"
    elif kind == "type":
        wanted = rule if isinstance(rule, list) else [rule]
        words = " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        message = f"{name} should be {words}, not {_describe_type(value)}"
    elif kind == "format" and rule == "date":
        message = f"{name}: '{value}' is not a real date; write dates as YYYY-MM-DD, such as 2026-10-14"
    elif kind == "pattern":
        message = f"{name}: '{value}' is not in the expected form: {sub.get('description', rule)}"
    elif kind in ("minItems", "minLength"):
        message = f"{name} must not be empty"
    elif kind in ("maxItems", "maxLength"):
        message = f"{name} is too long (at most {rule})"
    elif kind == "minimum":
        message = f"{name} must be at least {rule}, not {value}"
    elif kind == "maximum":
        message = f"{name} must be at most {rule}, not {value}"
    elif kind == "anyOf" and at == () and sub.get("anyOf"):
        options = [" and ".join(option.get("required", [])) for option in sub["anyOf"]]
        message = f"give {' or '.join(options)}"
    elif kind in ("oneOf", "anyOf"):
        hint = sub.get("description", "")
        message = f"{name} has the wrong form: {hint}" if hint else f"{name} has the wrong form"
        # Report the errors of the branch that has the value's type, if one has.
        depth = len(error.absolute_path)
        inner = [e for e in error.context or [] if not (e.validator == "type" and len(e.absolute_path) == depth)]
        if inner:
            for sub_error in inner:
                yield from _diagnostics(doc, sub_error)
            return
    else:
        message = f"{name}: {error.message}"
    yield Diagnostic(doc.path, line, message)
