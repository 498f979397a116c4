"""`ilp check` of one student loads what checking needs and no more, and what makes it fast changes
none of its answers.

A fresh interpreter runs the command and what it imported is compared with what it may use: the
site builder (MkDocs and Python-Markdown), Babel's catalogs, the worker processes of a build and the
browser are for other commands. Starting `ilp` for its help loads none of the checker's libraries.
The lessons can be known without reading their bodies, and the schemas are validated with their
references resolved once: both give the same problems. The time is measured by bench/check.py, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from generator.check import schemas
from generator.check.district import load_district
from generator.check.options import _plugin_options
from generator.load.documents import load_markdown, load_yaml
from generator.model.source import Doc
from tests.conftest import REPO, TODAY, TODAY_DATE, District

NOT_FOR_CHECKING = ("mkdocs", "markdown", "babel", "multiprocessing", "playwright")
CHECKING = ("yaml", "jsonschema", "markdown_it", "git")
ONE_STUDENT = sorted(p.parent.name for p in (REPO / "students").glob("*/profile.yml"))[0]


def _imported(tmp_path: Path, *args: str) -> set[str]:
    """The modules `ilp ARGS` loaded, run from the sample district in a fresh interpreter."""
    listing = tmp_path / "modules.json"
    code = (
        "import json, sys\n"
        "from generator.cli import main\n"
        f"sys.argv = ['ilp', *{list(args)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"open({str(listing)!r}, 'w').write(json.dumps(sorted(sys.modules)))\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, check=True)
    return set(json.loads(listing.read_text()))


def _uses(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("check", "--help")])
def test_starting_ilp_loads_no_checker_or_builder(tmp_path: Path, args: tuple[str, ...]) -> None:
    modules = _imported(tmp_path, *args)
    assert _uses(modules, "click")
    for name in (*CHECKING, *NOT_FOR_CHECKING, "jinja2", "generator.pipeline"):
        assert not _uses(modules, name), name


def test_checking_one_student_loads_no_site_builder(tmp_path: Path) -> None:
    modules = _imported(tmp_path, "check", "--today", TODAY, f"students/{ONE_STUDENT}")
    for name in CHECKING:  # the check did run
        assert _uses(modules, name), name
    for name in NOT_FOR_CHECKING:
        assert not _uses(modules, name), name


def test_the_checking_stage_loads_no_babel_or_site_builder(tmp_path: Path) -> None:
    """Every module of the loading and checking stages and the catalogs' reader, imported together: Babel
    is read only when a catalog is (`ilp check` only asks which catalogs there are)."""
    listing = tmp_path / "modules.json"
    code = (
        "import importlib, json, pkgutil, sys\n"
        "import generator.i18n.catalogs, generator.commands.check_formats\n"
        "for package in ('generator.load', 'generator.check'):\n"
        "    root = importlib.import_module(package)\n"
        "    for info in pkgutil.walk_packages(root.__path__, package + '.'):\n"
        "        importlib.import_module(info.name)\n"
        f"open({str(listing)!r}, 'w').write(json.dumps(sorted(sys.modules)))\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, check=True)
    modules = set(json.loads(listing.read_text()))
    assert _uses(modules, "jsonschema")
    for name in NOT_FOR_CHECKING:
        assert not _uses(modules, name), name


BODY_PROBLEM = "lesson has no facilitator part"


def test_the_lessons_are_known_without_their_bodies(district: District) -> None:
    """`load_district(lesson_bodies=False)` knows the same lessons (their front matter checked), reads
    no body and so reports no body's problems; a student's page still finds its lesson."""
    district.write(
        "curriculum/grade-08/g8-students-only.md",
        "---\nid: g8-students-only\ntitle: Only students\ngrade: 8\nasca: [M 4]\nactivities: [g8-nope]\n---\n"
        "Only students.\n",
        dedent=False,
    )
    district.write(
        "curriculum/grade-08/g8-broken.md", "---\nid: g8-broken\ntitle: No grade\n---\nText.\n", dedent=False
    )
    full, _, full_lessons = load_district(district.root, TODAY_DATE)
    light, _, light_lessons = load_district(district.root, TODAY_DATE, lesson_bodies=False)
    assert set(light.lessons) == set(full.lessons) == {"g7-test-lesson", "g8-students-only"}
    full_problems = [d.format() for d in full_lessons.sorted()]
    light_problems = [d.format() for d in light_lessons.sorted()]
    assert any(BODY_PROBLEM in p for p in full_problems), full_problems
    assert not any(BODY_PROBLEM in p for p in light_problems), light_problems
    assert light_problems == [p for p in full_problems if BODY_PROBLEM not in p]
    assert any("unknown activity 'g8-nope'" in p for p in light_problems)
    assert any(p.startswith("curriculum/grade-08/g8-broken.md") for p in light_problems)
    assert not light.lessons["g7-test-lesson"].doc.blocks
    assert full.lessons["g7-test-lesson"].doc.blocks
    assert not [p for p in district.problems("students/ava") if "error" in p or "lesson" in p]


def _sample_documents() -> list[tuple[str, Doc]]:
    """(schema name, document) of every kind of file, from the sample district."""
    found: list[tuple[str, Doc]] = []
    config, _ = _plugin_options(load_yaml(REPO / "mkdocs.yml", "mkdocs.yml", tolerant_tags=True))
    found.append(("config", Doc("mkdocs.yml", config, {})))
    named = {
        "curriculum/framework.yml": "framework",
        "curriculum/reference/asca-mindsets-behaviors.yml": "asca",
        "curriculum/reference/career-clusters.yml": "career-clusters",
        "curriculum/reference/riasec.yml": "riasec",
        "students/roster.yml": "roster",
        "students/sofia-ramirez/sharing.yml": "sharing",
    }
    named |= {f"students/{ONE_STUDENT}/{kind}.yml": kind for kind in ("profile", "goals", "courses", "experiences")}
    named[f"students/{ONE_STUDENT}/checklist.yml"] = "checklist"
    found += [(kind, load_yaml(REPO / rel, rel)) for rel, kind in named.items()]
    fronts = {
        "students/amara-osei/conference.md": "conference",
        "curriculum/grade-07/g7-researching-careers.md": "lesson",
    }
    fronts |= {p.relative_to(REPO).as_posix(): "page" for p in sorted((REPO / "students" / ONE_STUDENT).glob("*/*.md"))}
    for rel, kind in fronts.items():
        meta = load_markdown(REPO / rel, rel).meta
        assert meta is not None, rel
        found.append((kind, meta))
    return found


WRONG: list[object] = [7, True, None, "", "Not A Slug!", "2026-02-30", "x" * 300, [7], {"x": 7}]


def _variants(value: object) -> list[object]:
    """`value` spoiled in every way one edit can: each value replaced by a wrong one, a key removed, a key
    added."""
    found = list(WRONG)
    if isinstance(value, dict):
        found.append({**value, "unknown_key": 1})
        for key, item in value.items():
            found.append({k: v for k, v in value.items() if k != key})
            found += [{**value, key: spoiled} for spoiled in _variants(item)]
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += [[*value[:index], spoiled, *value[index + 1 :]] for spoiled in _variants(item)]
    return found


def _errors(errors: list[ValidationError]) -> list[str]:
    """Each error as the diagnostics read it: where, which rule and its value, the message, the rule's
    schema, and the errors of each alternative."""
    return sorted(
        str(
            (
                list(e.absolute_path),
                e.validator,
                _said(e.validator_value),
                e.message,
                _said(e.schema),
                _errors(e.context or []),
            )
        )
        for e in errors
    )


_SAID: dict[int, tuple[object, str]] = {}


def _said(schema: object) -> str:
    """A rule's schema (or value) with its references resolved (the package's schemas refer to one another
    by their file names; only common.schema.json refers within itself), as text; the schemas live as long
    as the validators, so each is resolved once."""
    if id(schema) not in _SAID:
        value = [schemas._resolve(s, "common", ()) for s in schema] if isinstance(schema, list) else schema
        _SAID[id(schema)] = (schema, str(schemas._resolve(value, "common", ())))
    return _SAID[id(schema)][1]


def test_the_resolved_schemas_find_the_same_problems() -> None:
    """Every kind of sample file, spoiled in every way one edit can (at every depth, a sample of them),
    has the same errors and the same diagnostics with the schemas' references resolved once as with
    them looked up by the registry on every use."""
    compared = 0
    for name, doc in _sample_documents():
        looked_up = Draft202012Validator(
            schemas.schema(name), registry=schemas._registry(), format_checker=FormatChecker()
        )
        variants = _variants(doc.data)
        for data in variants[:: max(1, len(variants) // 60)]:
            expected = list(looked_up.iter_errors(data))
            found = list(schemas.validator(name).iter_errors(data))
            assert _errors(found) == _errors(expected), (name, data)
            spoiled = Doc(doc.path, data, doc.lines)
            assert _diagnosed(spoiled, found) == _diagnosed(spoiled, expected), (name, data)
            compared += bool(expected)
    assert compared > 1000


def _diagnosed(doc: Doc, errors: list[ValidationError]) -> list[str]:
    """The diagnostics `schemas.validate` makes of these errors."""
    ordered = sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])
    return [d.format() for error in ordered for d in schemas._diagnostics(doc, error)]
