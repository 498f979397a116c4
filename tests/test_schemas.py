"""The JSON Schemas: valid, written by `ilp schema`, and documented in content/reference/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from generator.check.schemas import SCHEMA_NAMES, schema
from generator.cli import main
from generator.commands.reference import PAGES, reference_pages

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_json_schema(name: str) -> None:
    Draft202012Validator.check_schema(schema(name))


def test_schema_command_writes_every_schema(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "--out", str(tmp_path / "schemas")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert written == sorted(f"{n}.schema.json" for n in SCHEMA_NAMES)
    for name in SCHEMA_NAMES:
        assert json.loads((tmp_path / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")) == schema(name)


def test_reference_docs_are_up_to_date() -> None:
    """content/reference/ is what `ilp reference` generates from the schemas: run it after changing a schema."""
    for name, text in reference_pages().items():
        committed = (REPO / "content" / "reference" / name).read_text(encoding="utf-8")
        assert committed == text, f"content/reference/{name} is out of date: run `ilp reference`"


def _keys(node: object) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            found.add(key)
            found |= _keys(value)
        for key in ("items", "additionalProperties"):
            found |= _keys(node.get(key))
    return found


@pytest.mark.parametrize(("page", "name"), [(page, name) for page, (name, _) in PAGES.items()])
def test_every_field_is_documented(page: str, name: str) -> None:
    text = (REPO / "content" / "reference" / page).read_text(encoding="utf-8")
    for key in _keys(schema(name)):
        assert f".{key}`" in text or f"`{key}`" in text, f"{key} missing from content/reference/{page}"


def test_every_student_file_kind_has_a_reference_page() -> None:
    documented = {name for name, _ in PAGES.values()}
    assert documented == set(SCHEMA_NAMES) - {"common"}
