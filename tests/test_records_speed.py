"""What makes the change records fast changes none of their answers.

The history's old goals.yml and page front matter are checked by `schemas.passes`, which gives the
schema's own pass or fail without collecting its errors; old pages are read (their front matter
checked, their bodies parsed) only when an audience asks for them, and a text that comes back in one
student's history is read once. A version that does not load or validate stays private, as before.
The time is measured by building a bench district, not here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from generator.check import schema_checks, schemas
from generator.check.district import load_district
from generator.check.student import load_student
from generator.history import changes
from generator.history.changes import student_record
from generator.history.git import Writer, read_history
from generator.history.record import Record
from generator.load.documents import LoadError, split_markdown
from generator.markdown.document import Document, parse
from generator.model.source import Doc
from generator.pipeline import build
from tests.conftest import TODAY_DATE, District
from tests.test_check_speed import _sample_documents

UTC = datetime.UTC
AVA = ("Ava Reyes", "ava@students.example.org")
NURSE = "students/ava/career-exploration/nurse.md"
GOALS = "students/ava/goals.yml"

# Values to put in any place of a document: some right there, most wrong, and the ones the schema's
# rules treat unlike Python (true is not 1, 1.0 is 1, a date must be a real day).
POOL: list[object] = [
    "academic", "career", "short", "in-progress", "achieved", "on-track", "family", "private", "public",
    "2026-10-14", "2026-02-30", "2026-10-14T10:00:00", "2026-2027", "a-b", "g7-career-research", "Not A Slug!",
    "x", "", "x" * 61, "x" * 300, 0, 1, 6, 12, 13, 2031, 1999, 6.0, 6.5, -1, 1.0, True, False, None,
    float("nan"), float("inf"), [], ["family"], [""], ["2026-2027", "2026-2027"], ["2026-2027", "2027-2028"],
    [1, True], [1, 1.0], [0, False], [{"a": 1}, {"a": 1}], {}, {"text": "x"}, {"text": "x", "visibility": "family"},
    {"text": ""}, {"x": 7},
]  # fmt: skip


def _edits(value: object) -> Iterator[object]:
    """`value` changed by one edit anywhere in it: a value replaced by one of POOL, a key removed or added,
    a list item removed or repeated."""
    yield from POOL
    if isinstance(value, dict):
        yield {**value, "unknown_key": 1}
        for key, item in value.items():
            yield {k: v for k, v in value.items() if k != key}
            for edited in _edits(item):
                yield {**value, key: edited}
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield [*value[:index], *value[index + 1 :]]
            yield [*value[: index + 1], item, *value[index + 1 :]]
            for edited in _edits(item):
                yield [*value[:index], edited, *value[index + 1 :]]


def _schema_says(name: str, data: object) -> bool:
    """The schema's own answer: no error at all (as `validate` had it, before `passes`)."""
    return next(schemas.validator(name).iter_errors(data), None) is None


def test_the_type_checks_are_the_validators() -> None:
    checker = schemas.validator("goals").TYPE_CHECKER
    for value in [*POOL, 3 + 0j, (1, 2), b"x"]:
        for kind, check in schema_checks._TYPES.items():
            assert check(value) == checker.is_type(value, kind), (kind, value)


@pytest.mark.parametrize("name", ["goals", "page"])
def test_the_fast_check_answers_as_the_schema_for_what_the_history_reads(name: str) -> None:
    """Every sample goals.yml and page front matter, changed by one edit and by two (a sample of them):
    `passes` gives the schema's answer every time, and `validate` still finds problems exactly when it fails."""
    validator = Draft202012Validator(schemas.resolved(name), format_checker=FormatChecker())
    answers = {True: 0, False: 0}
    for kind, doc in _sample_documents():
        if kind != name:
            continue
        once = list(_edits(doc.data))
        twice = [again for edited in once[:: max(1, len(once) // 40)] for again in _edits(edited)]
        tried = [doc.data, *once[:: max(1, len(once) // 2500)], *twice[:: max(1, len(twice) // 1200)]]
        for index, data in enumerate(tried):
            expected = next(validator.iter_errors(data), None) is None
            assert schemas.passes(data, name) == expected, data
            if index % 5 == 0:
                assert (not schemas.validate(Doc(doc.path, data, doc.lines), name)) == expected, data
            answers[expected] += 1
    assert answers[True] > 200, answers
    assert answers[False] > 2000, answers


def test_the_fast_check_answers_as_the_schema_for_every_kind_of_file() -> None:
    checked = set()
    for name, doc in _sample_documents():
        edits = list(_edits(doc.data))
        for data in [doc.data, *edits[:: max(1, len(edits) // 300)]]:
            assert schemas.passes(data, name) == _schema_says(name, data), (name, data)
        assert schemas.passes(doc.data, name), name
        checked.add(name)
    assert checked >= {"goals", "page", "profile", "courses", "experiences", "checklist", "roster", "config"}


# Every rule the fast checks know, in forms the package's schemas do not use yet.
EVERY_RULE = {
    "type": "object",
    "required": ["a"],
    "propertyNames": {"maxLength": 3},
    "properties": {
        "a": {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 6, "maximum": 12}]},
        "b": {"anyOf": [{"type": ["string", "null"]}, {"type": "array", "uniqueItems": True, "maxItems": 2}]},
        "c": {"allOf": [{"pattern": "^[0-9]"}, {"minLength": 2, "maxLength": 10}, {"format": "date"}]},
        "d": {"type": "array", "items": False},
        "e": {"type": "array", "items": {"enum": ["x", "y"]}, "minItems": 1},
        "f": {"type": "boolean"},
    },
    "additionalProperties": {"type": "object", "additionalProperties": False, "properties": {"text": {}}},
}


def test_every_rule_the_fast_check_knows_answers_as_the_validator() -> None:
    validator = Draft202012Validator(EVERY_RULE, format_checker=FormatChecker())
    check = schema_checks.compile_check(EVERY_RULE, lambda: validator)
    answers = {True: 0, False: 0}
    start = {"a": 13, "b": [1, "1"], "c": "2026-10-14", "d": [], "e": ["x"], "f": True, "g": {"text": 1}}
    once = list(_edits(start))
    twice = [again for edited in once[::7] for again in _edits(edited)]
    for data in [start, *once, *twice[:: max(1, len(twice) // 4000)]]:
        expected = validator.is_valid(data)
        assert check(data) == expected, data
        answers[expected] += 1
    assert answers[True] > 100, answers
    assert answers[False] > 1000, answers


def test_a_rule_the_fast_check_does_not_know_is_left_to_the_validator() -> None:
    validator = Draft202012Validator(
        {"type": "object", "properties": {"n": {"const": 3}, "m": {"not": {"type": "string"}}}},
        format_checker=FormatChecker(),
    )
    check = schema_checks.compile_check(validator.schema, lambda: validator)
    for data in [{"n": 3}, {"n": 4}, {"n": 3.0}, {"n": True}, {"m": "x"}, {"m": 1}, {"n": 3, "m": []}, []]:
        assert check(data) == validator.is_valid(data), data


def test_the_date_format_is_the_validators() -> None:
    """The one format the shipped schemas use is checked without jsonschema, with its answers."""
    checker = FormatChecker()
    days = ["2026-10-14", "2024-02-29", "2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01"]
    days += [
        "2026-01-01\n",
        " 2026-01-01",
        "2026-01-01T00:00",
        "\uff12\uff10\uff12\uff16-01-01",
        "2026-01-32",
        "0000-01-01",
        "",
    ]
    for value in [*days, *POOL, 20261014, None]:
        assert schema_checks._is_date(value) == checker.conforms(value, "date"), value


def test_another_format_is_left_to_the_validators_checker() -> None:
    validator = Draft202012Validator({"format": "email"}, format_checker=FormatChecker())
    asked: list[int] = []

    def whole() -> Draft202012Validator:
        asked.append(1)
        return validator

    check = schema_checks.compile_check(validator.schema, whole)
    assert asked == []  # made when first needed, once
    for value in ["a@b.example", "no at sign", 3, None]:
        assert check(value) == validator.is_valid(value), value
    assert asked == [1]


# --- The record reads each old version when asked, once ------------------------------------------------

EARLY_GOALS = """\
goals:
  - id: math-b
    domain: academic
    term: short
    statement: Do better in math.
    status: in-progress
"""
CANARY = "canaryInvalidGoal4321"
INVALID_GOALS = EARLY_GOALS.replace("Do better in math.", CANARY) + "    colour: red\n"
PAGES = [
    ("2025-09-12", "---\ntitle: Nursing draft\n---\nFirst draft.\n"),  # valid
    ("2025-10-01", "---\ntitle: Nursing\ncolour: red\n---\nSecret draft.\n"),  # fails the schema
    ("2025-10-15", "---\ntitle: [unclosed\n---\nBroken.\n"),  # does not load
    ("2025-11-01", "Only text, no front matter.\n"),  # no front matter
    ("2025-12-01", "---\ntitle: Nursing draft\n---\nFirst draft.\n"),  # the first text again
]


def at(day: str) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(15), UTC)


@pytest.fixture
def history(district: District) -> District:
    """Ava's goals and nursing page committed in versions that pass, fail and do not load; each comes back."""
    root = district.root
    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }
    final_page, final_goals = files.pop(NURSE), files.pop(GOALS)
    writer = Writer(root)
    writer.commit({**files, GOALS: EARLY_GOALS.encode()}, *AVA, at("2025-09-10"), "Start my ILP")
    for day, page in PAGES:
        writer.commit({NURSE: page.encode()}, *AVA, at(day), "Page")
    writer.commit({GOALS: INVALID_GOALS.encode()}, *AVA, at("2025-12-10"), "Goals that do not validate")
    writer.commit({GOALS: EARLY_GOALS.encode()}, *AVA, at("2026-01-25"), "Goals back")  # after mid-year
    writer.commit({GOALS: final_goals}, *AVA, at("2026-02-01"), "Goals now")
    writer.commit({NURSE: final_page}, *AVA, at("2026-10-12"), "Page now")
    return district


def _record(district: District) -> Record:
    checked, _, _ = load_district(district.root, TODAY_DATE)
    student, _ = load_student(district.root, "ava", checked)
    assert student is not None
    assert checked.roster is not None
    found = read_history(district.root, [GOALS, *(p.path for p in student.pages)])
    return student_record(found, student, checked.roster)


def _counted(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """Every text that `changes.<name>` is called with, from now on."""
    seen: list[str] = []
    real = getattr(changes, name)

    def counting(text: str, *args: Any) -> Any:
        seen.append(text)
        return real(text, *args)

    monkeypatch.setattr(changes, name, counting)
    return seen


def _eager(text: str) -> tuple[dict[str, Any] | None, Document | None]:
    """A page version read whole, as every version was before: split, validated, parsed."""
    try:
        page = split_markdown(text, NURSE)
    except LoadError:
        return None, None
    if page.meta is None or schemas.validate(page.meta, "page"):
        return None, None
    return page.meta.data, parse(page.body, page.body_line, NURSE)


def _tokens(doc: Document | None) -> list[tuple[Any, ...]] | None:
    if doc is None:
        return None
    return [(t.type, t.tag, t.content, t.info, t.map, sorted(t.attrs.items()), t.meta) for t in doc.tokens]


def test_old_pages_are_read_only_when_asked_and_each_text_once(
    history: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _counted(monkeypatch, "parse")
    split = _counted(monkeypatch, "split_markdown")
    record = _record(history)
    versions = record.page_versions["career-exploration/nurse.md"]
    assert len(versions) == len(PAGES) + 1
    assert parsed == []
    assert split == []
    metas = [v.meta for v in versions]
    assert parsed == []  # the front matter needs no parse of the body
    assert len(split) == len({text for _day, text in PAGES}) + 1  # the first text's return is not read again
    docs = [v.doc for v in versions]
    assert len(parsed) == 2
    assert docs[0] is docs[4]
    assert docs[0] is not None
    assert [v.doc for v in versions] == docs
    assert len(parsed) == 2
    final = (history.root / NURSE).read_text(encoding="utf-8")
    for (meta, doc), (expected_meta, expected_doc) in zip(
        zip(metas, docs, strict=True), [_eager(text) for _day, text in PAGES] + [_eager(final)], strict=True
    ):
        assert meta == expected_meta
        assert _tokens(doc) == _tokens(expected_doc)
        assert (doc.blocks if doc else None) == (expected_doc.blocks if expected_doc else None)
    assert [m is None for m in metas] == [False, True, True, True, False, False]  # private: stays private


def test_old_goals_are_read_once_a_text_and_failing_ones_stay_private(
    history: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _counted(monkeypatch, "parse_yaml")
    record = _record(history)
    assert len(read) == 3  # the early goals came back: read once
    versions = record.goal_versions["math-b"]
    assert [(v.goal["statement"], v.valid) for v in versions] == [
        ("Do better in math.", True),
        (CANARY, False),
        ("Do better in math.", True),
        ("Get a B in math this semester.", True),
    ]


def test_a_failing_old_version_reaches_only_the_full_audiences(history: District) -> None:
    out = history.root.parent / "site"
    result = build(history.root, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    assert CANARY in (out / "student/ava/my-goals/index.html").read_text(encoding="utf-8")
    family_goals = re.sub(r"<[^>]+>", "", (out / "family/ava/my-goals/index.html").read_text(encoding="utf-8"))
    assert "How this goal changed" in family_goals
    assert "Do better in math." in family_goals
    for audience in ("family", "advisory", "public"):
        for file in (out / audience).rglob("*"):
            if file.is_file():
                data = file.read_text(encoding="utf-8", errors="replace")
                for canary in (CANARY, "Secret draft.", "Broken."):
                    assert canary not in data, (audience, file)


def test_nan_and_odd_numbers_are_judged_as_the_schema_judges_them() -> None:
    for value in (float("nan"), float("inf"), -0.0, 6.0, 12.5, True):
        profile = {"name": "A", "graduation_year": value, "educators": ["mrivera"]}
        assert schemas.passes(profile, "profile") == _schema_says("profile", profile), value
