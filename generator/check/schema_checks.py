"""Whether a value passes a JSON Schema, by checks made once from the schema (pure): the validator's
answer (generator/check/schemas.py `passes`), without the cost of collecting the errors that are not there.

The checks know the keywords the shipped schemas use, in the forms they are written; a part of a schema
that uses any other keyword (or another form) is checked by the validator itself, and so are lists of
anything but strings under `uniqueItems`, and formats other than `date` (the validator's own format
checker). The validator is asked for only when one of those is met: a document that meets none is
checked without importing jsonschema. tests/test_records_speed.py holds the two to the same answers.
"""

from __future__ import annotations

import datetime
import numbers
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

Check = Callable[[Any], bool]
Whole = Callable[[], "Draft202012Validator"]  # the validator of the whole schema, made when first asked for

# What the fast checks know; a schema node using any other keyword is checked by the validator itself.
_ANNOTATIONS = frozenset({"$schema", "$comment", "$defs", "title", "description", "default", "examples", "deprecated"})
_FAST = frozenset(
    {
        "type", "enum", "pattern", "minLength", "maxLength", "format", "minimum", "maximum",
        "items", "minItems", "maxItems", "uniqueItems",
        "properties", "additionalProperties", "required", "propertyNames",
        "allOf", "anyOf", "oneOf",
    }
)  # fmt: skip
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def _fast(node: dict[str, Any]) -> bool:
    """Whether the fast checks know every keyword of `node` in the form it is written."""
    if not set(node) <= _FAST | _ANNOTATIONS:
        return False
    types = node.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) and t in _TYPES for t in types):
        return False
    lists = [node.get(k, []) for k in ("enum", "required", "allOf", "anyOf", "oneOf")]
    if not all(isinstance(v, list) for v in lists) or not all(isinstance(v, str) for v in lists[0] + lists[1]):
        return False
    return isinstance(node.get("properties", {}), dict)


def compile_check(node: Any, whole: Whole) -> Check:
    """One function that tells whether a value passes schema `node` (part of the schema `whole()` validates)."""
    if node is True:
        return _always
    if node is False:
        return _never
    if not isinstance(node, dict) or not _fast(node):
        return _by_validator(node, whole)
    checks: list[Check] = []
    if "type" in node:
        types = [node["type"]] if isinstance(node["type"], str) else node["type"]
        tests = [_TYPES[t] for t in types]
        checks.append(tests[0] if len(tests) == 1 else lambda v: any(test(v) for test in tests))
    if "enum" in node:
        words = frozenset(node["enum"])
        checks.append(lambda v: isinstance(v, str) and v in words)
    checks += _string_checks(node, whole)
    checks += _number_checks(node)
    checks += _array_checks(node, whole)
    checks += _object_checks(node, whole)
    checks += [_combined(key, [compile_check(part, whole) for part in node[key]]) for key in _COMBINED if key in node]
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(check(v) for check in checks)


_COMBINED = ("allOf", "anyOf", "oneOf")


def _by_validator(node: Any, whole: Whole) -> Check:
    """The validator's own answer for schema `node`, the validator made the first time a value is checked."""
    made: list[Check] = []

    def check(value: Any) -> bool:
        if not made:
            made.append(whole().evolve(schema=node).is_valid)
        return made[0](value)

    return check


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(value: Any) -> bool:
    """jsonschema's `date` format (its `is_date`, ValueError as False), which the shipped schemas use."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.fullmatch(value) and datetime.date.fromisoformat(value))
    except ValueError:
        return False


def _format(form: Any, whole: Whole) -> Check:
    if form == "date":
        return _is_date
    made: list[Check] = []

    def conforms(value: Any) -> bool:
        if not made:
            checker = whole().format_checker
            made.append(_always if checker is None else lambda v: checker.conforms(v, form))
        return made[0](value)

    return conforms


def _combined(key: str, parts: list[Check]) -> Check:
    """allOf: every part passes; anyOf: one at least; oneOf: exactly one."""
    if key == "allOf":
        return lambda v: all(part(v) for part in parts)
    if key == "anyOf":
        return lambda v: any(part(v) for part in parts)
    return lambda v: sum(1 for part in parts if part(v)) == 1


def _string_checks(node: dict[str, Any], whole: Whole) -> list[Check]:
    checks: list[Check] = []
    if "pattern" in node:
        search = re.compile(node["pattern"]).search
        checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
    low, high = node.get("minLength"), node.get("maxLength")
    if low is not None or high is not None:
        least, most = low if low is not None else 0, high if high is not None else float("inf")
        checks.append(lambda v: not isinstance(v, str) or least <= len(v) <= most)
    if "format" in node:
        checks.append(_format(node["format"], whole))
    return checks


def _number_checks(node: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    is_number = _TYPES["number"]
    if "minimum" in node:
        low = node["minimum"]
        checks.append(lambda v: not is_number(v) or not v < low)
    if "maximum" in node:
        high = node["maximum"]
        checks.append(lambda v: not is_number(v) or not v > high)
    return checks


def _array_checks(node: dict[str, Any], whole: Whole) -> list[Check]:
    checks: list[Check] = []
    if "items" in node:
        item = compile_check(node["items"], whole)
        checks.append(lambda v: not isinstance(v, list) or all(item(i) for i in v))
    low, high = node.get("minItems"), node.get("maxItems")
    if low is not None or high is not None:
        least, most = low if low is not None else 0, high if high is not None else float("inf")
        checks.append(lambda v: not isinstance(v, list) or least <= len(v) <= most)
    if node.get("uniqueItems"):
        unique = _by_validator({"uniqueItems": True}, whole)  # the validator's own idea of equal

        def distinct(v: Any) -> bool:
            if not isinstance(v, list):
                return True
            if all(isinstance(i, str) for i in v):
                return len(set(v)) == len(v)
            return unique(v)

        checks.append(distinct)
    return checks


def _object_checks(node: dict[str, Any], whole: Whole) -> list[Check]:
    checks: list[Check] = []
    properties = {key: compile_check(part, whole) for key, part in node.get("properties", {}).items()}
    if properties:
        checks.append(
            lambda v: not isinstance(v, dict) or all(check(v[k]) for k, check in properties.items() if k in v)
        )
    if "additionalProperties" in node:
        other = compile_check(node["additionalProperties"], whole)
        if other is _never:
            checks.append(lambda v: not isinstance(v, dict) or all(k in properties for k in v))
        else:
            checks.append(lambda v: not isinstance(v, dict) or all(other(v[k]) for k in v if k not in properties))
    if node.get("required"):
        needed = tuple(node["required"])
        checks.append(lambda v: not isinstance(v, dict) or all(k in v for k in needed))
    if "propertyNames" in node:
        key_check = compile_check(node["propertyNames"], whole)
        checks.append(lambda v: not isinstance(v, dict) or all(key_check(k) for k in v))
    return checks
