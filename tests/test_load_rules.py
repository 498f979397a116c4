"""Stage 1 rules: no YAML anchors or aliases in student files; only '---' closes front matter."""

from __future__ import annotations

import pytest

from generator.load.documents import LoadError, is_student_file, parse_yaml, split_markdown
from tests.conftest import District

NURSE = "students/ava/career-exploration/nurse.md"
ANCHOR_T = "YAML anchor '&t' is not allowed in student files; delete '&t' and write the text out in full wherever it is repeated"
ALIAS_T = "YAML alias '*t' is not allowed in student files; write the text out in full"
NOT_CLOSED = "front matter must end with a line '---', not '...'; replace this line with '---'"


def errors(district: District, *paths: str) -> list[str]:
    """The error lines of `ilp check` (warnings left out), after asserting that it failed."""
    result = district.check(*paths)
    assert result.exit_code == 1, result.output
    return [line for line in result.stdout.splitlines() if line.strip() and ": warning: " not in line]


# --- Anchors and aliases ---------------------------------------------------------------------------

GOALS_WITH_ALIAS = """\
goals:
  - id: math-b
    domain: academic
    term: short
    statement: Get a B in math this semester.
    status: in-progress
    set: &start 2026-09-10
    due: 2027-01-20
    barriers:
      - &secret My little brother needs me after school.
    strategies:
      - *secret
"""


def test_every_anchor_and_alias_in_a_student_file_is_an_error() -> None:
    with pytest.raises(LoadError) as caught:
        parse_yaml(GOALS_WITH_ALIAS, "students/ava/goals.yml")
    assert [d.format() for d in caught.value.diagnostics] == [
        "students/ava/goals.yml:7: YAML anchor '&start' is not allowed in student files; "
        "delete '&start' and write the text out in full wherever it is repeated",
        "students/ava/goals.yml:10: YAML anchor '&secret' is not allowed in student files; "
        "delete '&secret' and write the text out in full wherever it is repeated",
        "students/ava/goals.yml:12: YAML alias '*secret' is not allowed in student files; write the text out in full",
    ]
    assert caught.value.diagnostic == caught.value.diagnostics[0]


def test_alias_in_student_yaml_fails_ilp_check(district: District) -> None:
    district.write("students/ava/goals.yml", GOALS_WITH_ALIAS, dedent=False)
    found = errors(district)
    assert (
        "students/ava/goals.yml:7: YAML anchor '&start' is not allowed in student files; "
        "delete '&start' and write the text out in full wherever it is repeated"
    ) in found, found
    assert all(line.startswith("students/ava/goals.yml:") for line in found), found


def test_alias_only_in_a_flow_list(district: District) -> None:
    text = "name: &n Ava Reyes\ngraduation_year: 2032\nschool: Harbor View Middle School\nnicknames: [*n]\n"
    with pytest.raises(LoadError) as caught:
        parse_yaml(text, "students/ava/profile.yml")
    assert [(d.line, d.message.split(";")[0]) for d in caught.value.diagnostics] == [
        (1, "YAML anchor '&n' is not allowed in student files"),
        (4, "YAML alias '*n' is not allowed in student files"),
    ]


def test_anchor_in_front_matter_counts_lines_from_the_top_of_the_file(district: District) -> None:
    district.write(NURSE, "---\ntitle: &t Nursing\nsummary: *t\n---\nText.\n", dedent=False)
    assert errors(district) == [f"{NURSE}:2: {ANCHOR_T}", f"{NURSE}:3: {ALIAS_T}"]
    with pytest.raises(LoadError) as caught:
        split_markdown("---\ntitle: &t Nursing\nsummary: *t\n---\nText.\n", NURSE)
    assert [d.format() for d in caught.value.diagnostics] == [f"{NURSE}:2: {ANCHOR_T}", f"{NURSE}:3: {ALIAS_T}"]


def test_anchor_in_front_matter_with_crlf_and_bom(district: District) -> None:
    text = "\ufeff---\r\ntitle: Nursing\r\nsummary: &t Pay and training\r\n---\r\nText.\r\n"
    district.write(NURSE, text.encode("utf-8"))
    assert errors(district) == [f"{NURSE}:3: {ANCHOR_T}"]


def test_anchor_on_a_mapping_is_reported_at_its_line() -> None:
    text = "career:\n  clusters: [health-science]\nextra: &block\n  a: 1\n"
    with pytest.raises(LoadError) as caught:
        parse_yaml(text, "students/ava/profile.yml")
    assert [d.line for d in caught.value.diagnostics] == [3]


def test_alias_bomb_in_a_student_file_is_still_reported_as_one() -> None:
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for n in range(1, 9):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        levels.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    with pytest.raises(LoadError) as caught:
        parse_yaml("\n".join(levels) + "\n", "students/ava/profile.yml")
    assert "YAML expands to more than 100000 values" in caught.value.diagnostic.message
    assert "YAML anchor '&a' is not allowed in student files" in caught.value.diagnostics[1].message


def test_roster_is_a_student_file() -> None:
    assert is_student_file("students/roster.yml")
    assert is_student_file("students/ava/goals.yml")
    assert not is_student_file("curriculum/framework.yml")
    assert not is_student_file("mkdocs.yml")
    with pytest.raises(LoadError):
        parse_yaml("educators: &e []\n", "students/roster.yml")


def test_anchors_outside_students_are_kept() -> None:
    doc = parse_yaml("a: &x hello\nb: *x\n", "curriculum/framework.yml")
    assert doc.data == {"a": "hello", "b": "hello"}


def test_anchor_in_a_lesson_is_accepted(district: District) -> None:
    lesson = (district.root / "curriculum/grade-07/g7-test-lesson.md").read_text(encoding="utf-8")
    district.write(
        "curriculum/grade-07/g7-test-lesson.md", lesson.replace("title: A test lesson", "title: &t A test lesson")
    )
    result = district.check()
    assert result.exit_code == 0, result.output


def test_quoted_ampersand_and_star_are_plain_text(district: District) -> None:
    district.write(
        NURSE,
        '---\ntitle: "&me and *you"\nsummary: Pay & training * 2\n---\nText. ![Chart](../artifacts/chart.svg)\n',
        dedent=False,
    )
    result = district.check()
    assert result.exit_code == 0, result.output


# --- Front matter closes with '---' only ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("---\ntitle: Nursing\n...\nText.\n", f"{NURSE}:3: {NOT_CLOSED}", id="dots"),
        pytest.param("---\ntitle: Nursing\n... \nText.\n", f"{NURSE}:3: {NOT_CLOSED}", id="dots-trailing-space"),
        pytest.param(
            "---\ntitle: Nursing\ndate: 2026-10-12\n...\nText.\n\n---\n\nMore.\n",
            f"{NURSE}:4: {NOT_CLOSED}",
            id="dots-then-a-rule",
        ),
        pytest.param("---\r\ntitle: Nursing\r\n...\r\nText.\r\n", f"{NURSE}:3: {NOT_CLOSED}", id="dots-crlf"),
        pytest.param(
            "---\ntitle: Nursing\nvisibility: family\n\nText.\n",
            f"{NURSE}:1: front matter opened with '---' is never closed; add a line '---' after its last field",
            id="never-closed",
        ),
    ],
)
def test_front_matter_must_end_with_dashes(district: District, text: str, expected: str) -> None:
    district.write(NURSE, text, dedent=False)
    assert errors(district) == [expected]


def test_dots_in_a_lesson_are_refused_too(district: District) -> None:
    lesson = (district.root / "curriculum/grade-07/g7-test-lesson.md").read_text(encoding="utf-8")
    head, _, body = lesson.partition("---\nStudents")
    district.write("curriculum/grade-07/g7-test-lesson.md", f"{head}...\nStudents{body}")
    assert f"curriculum/grade-07/g7-test-lesson.md:7: {NOT_CLOSED}" in errors(district)


def test_indented_dots_are_yaml_text() -> None:
    page = split_markdown("---\ntitle: >\n  Nursing\n  ...\n---\nBody\n", NURSE)
    assert page.meta is not None
    assert page.meta.data == {"title": "Nursing ..."}
    assert page.body_line == 6


def test_dashes_still_close_front_matter() -> None:
    page = split_markdown("---\ntitle: A\n--- \nBody\n", NURSE)
    assert page.meta is not None
    assert page.meta.data == {"title": "A"}
    assert page.body == "Body\n"
    assert page.body_line == 4


TRICKY_SCALARS = [
    "yes", "No", "on", "OFF", "y", "1", "-1", "+1", "0x1F", "0o17", "017", "1_000", "1.5", "1e3", ".inf", "-.Inf",
    ".nan", "~", "null", "Null", "", "=", "<<", "TRUE", "2026-01-01", "2026-1-1", "2026-01-01 10:00:00", "12:30",
    "1:30:00", "some text", "in-progress",
]  # fmt: skip


@pytest.mark.parametrize("quoted", [False, True])
def test_each_scalar_is_typed_as_pyyaml_types_it_the_first_time_and_after(quoted: bool) -> None:
    """The loader works out a short plain scalar's type once (yaml_loader.SafeLoader.resolve); asked again, in
    another file, it must give the tag PyYAML's own safe loader gives."""
    import yaml

    from generator.load.yaml_loader import SafeLoader

    text = "".join(f"k{n}: {repr(v) if quoted else v}\n" for n, v in enumerate(TRICKY_SCALARS))

    def tags(loader: type) -> list[tuple[str, str]]:
        node = yaml.compose(text, Loader=loader)
        return [(value.value, value.tag) for _, value in node.value]

    expected = tags(yaml.SafeLoader)
    assert len({tag for _, tag in expected}) >= (1 if quoted else 6), expected  # plain, they are of many types
    for _ in range(2):
        assert tags(SafeLoader) == expected
