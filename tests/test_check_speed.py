"""`ilp check` of one student loads what checking needs and no more, and what makes it fast changes
none of its answers.

A fresh interpreter runs the command and what it imported is compared with what it may use: the
site builder (MkDocs and Python-Markdown), Babel's catalogs, the worker processes of a build and the
browser are for other commands; GitPython is for the unusual cases (the history is read with git's own
processes). Starting
`ilp` for its help loads none of the checker's libraries. The lessons can be known without reading
their bodies, the schemas are validated with their references resolved once, the repository is found
without GitPython and the reviews are checked from goals.yml's versions alone: each gives the same
answers as the slower way. The time is measured by bench/check.py, not here.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import git
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from generator.check import schemas
from generator.check.district import load_district
from generator.check.options import _plugin_options
from generator.commands.check import run_check
from generator.history import git as history_git
from generator.history.processes import top_level
from generator.history.record import review_problems
from generator.load.documents import load_markdown, load_yaml
from generator.model import History
from generator.model.source import Doc
from generator.pipeline import corpus
from tests.conftest import REPO, TODAY, TODAY_DATE, District

NOT_FOR_CHECKING = ("mkdocs", "markdown", "babel", "multiprocessing", "playwright")
CHECKING = ("yaml", "markdown_it")
# Loaded only when something is unusual: GitPython (a repository git's own answer does not place plainly,
# or git fails), jsonschema (a file that fails the schema's fast checks: generator/check/schema_checks.py).
NOT_FOR_ONE_STUDENT = ("git", "gitdb", "jsonschema", "referencing")
ONE_STUDENT = sorted(p.parent.name for p in (REPO / "students").glob("*/profile.yml"))[0]
RIVERA = ("Ms. Marisol Rivera", "mrivera@harborview.example.org")


def _run(tmp_path: Path, cwd: Path, *args: str) -> tuple[set[str], str]:
    """The modules `ilp ARGS` loaded, run from `cwd` in a fresh interpreter (this checkout's code), and
    what it printed."""
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
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)}
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return set(json.loads(listing.read_text())), done.stdout + done.stderr


def _imported(tmp_path: Path, *args: str) -> set[str]:
    """The modules `ilp ARGS` loaded, run from the sample district in a fresh interpreter."""
    return _run(tmp_path, REPO, *args)[0]


def _uses(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("check", "--help")])
def test_starting_ilp_loads_no_checker_or_builder(tmp_path: Path, args: tuple[str, ...]) -> None:
    modules = _imported(tmp_path, *args)
    assert _uses(modules, "click")
    for name in (*CHECKING, *NOT_FOR_CHECKING, *NOT_FOR_ONE_STUDENT, "generator.pipeline"):
        assert not _uses(modules, name), name


def test_checking_one_student_loads_no_site_builder(tmp_path: Path) -> None:
    modules = _imported(tmp_path, "check", "--today", TODAY, f"students/{ONE_STUDENT}")
    for name in (*CHECKING, "generator.history.git"):  # the check did run, the history was read
        assert _uses(modules, name), name
    for name in (*NOT_FOR_CHECKING, *NOT_FOR_ONE_STUDENT):
        assert not _uses(modules, name), name


def test_a_file_that_fails_its_schema_loads_the_validator(tmp_path: Path, district: District) -> None:
    district.write("students/ava/courses.yml", "courses:\n  - name: Math 7\n    grade: seven\n")
    modules, printed = _run(tmp_path, district.root, "check", "--today", TODAY, "students/ava")
    assert _uses(modules, "jsonschema")
    assert "students/ava/courses.yml:" in printed


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
    assert _uses(modules, "yaml")
    for name in (*NOT_FOR_CHECKING, "jsonschema"):  # the validator is imported when a file fails
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


def _at(day: str) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(15), datetime.UTC)


def _files(root: Path, prefix: str = "") -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and p.relative_to(root).as_posix().startswith(prefix)
    }


def _reviews_in_history(district: District, top: Path | None = None) -> str:
    """Ava's district committed (in a repository at `top`, the district's folder by default), then her goals
    with a review dated after the commit that records it and a new goal reviewed before it existed (and a
    page changed, so that it has versions too); the goals.yml written."""
    top = top or district.root
    inside = district.root.relative_to(top).as_posix().removeprefix(".")
    place = inside + "/" if inside else ""
    writer = history_git.Writer(top)
    writer.commit(_files(top, place), *RIVERA, _at("2026-09-01"), "The district")
    page = district.root / "students/ava/career-exploration/nurse.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    writer.commit(_files(top, place + "students/ava/career-exploration/"), *RIVERA, _at("2026-10-01"), "Page")
    goals = (district.root / "students/ava/goals.yml").read_text(encoding="utf-8")
    goals = goals.replace("date: 2026-11-02", "date: 2026-11-20")
    goals += (
        "  - id: new-goal\n    domain: career\n    term: short\n    statement: Visit a hospital.\n"
        "    status: in-progress\n    reviews:\n      - {date: 2026-01-05, by: mrivera}\n"
    )
    district.write("students/ava/goals.yml", goals, dedent=False)
    writer.commit(_files(top, place + "students/ava/goals.yml"), *RIVERA, _at("2026-11-10"), "Reviews")
    return goals


def test_a_student_is_checked_against_the_commits_without_gitpython(district: District, tmp_path: Path) -> None:
    """In a fresh interpreter, as a user runs it: the reviews are checked against the history, read with
    git's own processes, and neither GitPython nor Jinja2 is loaded."""
    _reviews_in_history(district)
    modules, output = _run(tmp_path, district.root, "check", "--today", TODAY, "students/ava")
    assert "review dated 2026-11-20 was recorded on 2026-11-10, before it happened" in output
    assert "review dated 2026-01-05 is before the goal existed (it was first committed on 2026-11-10)" in output
    for name in NOT_FOR_ONE_STUDENT:
        assert not _uses(modules, name), name


def _build_reviews(root: Path, only: set[str] | None) -> list[str]:
    """The review warnings and unreadable-repository warnings as the build's corpus finds them (its records
    read with every page's versions)."""
    loaded = corpus(root, TODAY_DATE, only=only, artifacts=False, lesson_bodies=False)
    found = [d.format() for d in loaded.report if "git cannot read" in d.message]
    for student in loaded.students:
        doc = student.docs["goals.yml"]
        record = loaded.records[student.id]
        if record.available:
            for i, j, message in review_problems(record, doc.data["goals"]):
                found.append(f"{doc.path}:{doc.line(('goals', i, 'reviews', j, 'date'))}: warning: {message}")
    return sorted(found)


def _checked_reviews(root: Path, paths: list[Path]) -> list[str]:
    result = run_check(root, paths, TODAY_DATE)
    return sorted(d.format() for d in result.report if "review dated" in d.message or "git cannot read" in d.message)


def test_the_reviews_are_checked_as_the_build_reads_the_history(district: District) -> None:
    """The check reads goals.yml's versions only: the same review warnings as the corpus with every page's
    versions, for one student and for all."""
    _reviews_in_history(district)
    one = _checked_reviews(district.root, [district.root / "students/ava"])
    assert len(one) == 2
    assert one == _build_reviews(district.root, {"ava"})
    assert _checked_reviews(district.root, []) == _build_reviews(district.root, None) == one


def test_an_unreadable_student_repository_is_reported_as_the_build_reports_it(district: District) -> None:
    _reviews_in_history(district)
    subprocess.run(["git", "init", "-q"], cwd=district.root / "students/ava", check=True)  # no commit yet
    one = _checked_reviews(district.root, [district.root / "students/ava"])
    assert one == _build_reviews(district.root, {"ava"})
    assert one == [
        "students/ava:1: warning: git cannot read this student's repository (nothing has been committed yet, "
        "so there is no change record yet); their change record is left out"
    ]


def _layout(kind: str, tmp_path: Path, district: District) -> tuple[Path, bool]:
    """A folder the history is read from, and whether it is a student's own repository."""
    root = district.root
    if kind == "not in git":
        return root, False
    if kind == "no commit yet":
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        return root, False
    if kind == "inside a repository":
        _reviews_in_history(district, tmp_path)
        return root, False
    _reviews_in_history(district)
    if kind == "repository":
        return root, False
    if kind == "through a symlink":
        (tmp_path / "link").symlink_to(root)
        return tmp_path / "link", False
    if kind == "shallow clone":
        clone = tmp_path / "shallow"
        subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
        return clone, False
    if kind == "bare":
        bare = tmp_path / "bare.git"
        subprocess.run(["git", "clone", "-q", "--bare", str(root), str(bare)], check=True)
        return bare, False
    if kind == "broken .git file":
        shutil.rmtree(root / ".git")
        (root / ".git").write_text("gitdir: ../nowhere\n", encoding="utf-8")
        return root, False
    own = root / "students" / "ava"
    history_git.Writer(own).commit(_files(own), *RIVERA, _at("2026-11-11"), "Her own repository")
    return own, True


LAYOUTS = [
    "not in git",
    "no commit yet",
    "repository",
    "inside a repository",
    "through a symlink",
    "shallow clone",
    "bare",
    "broken .git file",
    "own repository",
]


@pytest.mark.parametrize("kind", LAYOUTS)
def test_the_repository_is_found_as_gitpython_finds_it(
    kind: str, district: District, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git's own answer, when it is used, is GitPython's (the working tree, and whether it is shallow); the
    history read through it is the history read through GitPython, whatever the folder is."""
    folder, own = _layout(kind, tmp_path, district)
    found = top_level(folder, parents=not own)
    if kind in ("not in git", "bare", "broken .git file"):
        assert found is None
    else:
        assert found is not None
        with git.Repo(folder, search_parent_directories=not own) as repo:
            assert found[0] == Path(repo.working_tree_dir or folder).resolve()
            assert found[1] is (repo.git.rev_parse("--is-shallow-repository") == "true")
            assert found[1] is (kind == "shallow clone")

    def read() -> History:
        if own:
            return history_git.read_repository(folder, ["students/ava/goals.yml"], "students/ava/")
        return history_git.read_history(folder, ["students/ava/goals.yml"])

    fast = read()
    monkeypatch.setattr(history_git, "top_level", lambda *args, **kwargs: None)
    assert read() == fast
    if kind in ("not in git", "no commit yet", "broken .git file"):
        assert not fast.available
        assert fast.reason
    else:  # a bare repository too, found by GitPython
        assert fast.available
        assert fast.commits
        assert fast.versions
        assert fast.shallow is (kind == "shallow clone")
