"""Fail-closed cases: malformed markers, HTML blocks, sneaky links, odd files. Each is an error, never a leak."""

from __future__ import annotations

import os

import pytest

from generator.markdown.document import parse
from generator.markdown.html import render_document
from generator.visibility.markers import filter_document, sees
from tests.conftest import District

FULL = ("student", "educator")


def public_sees(body: str) -> str:
    """The HTML the public audience gets of a body whose page is public."""
    doc = filter_document(parse(body), ("public",), lambda words: sees("public", words, FULL, "public"))
    return render_document(doc).html


@pytest.mark.parametrize(
    "heading",
    [
        "## My health {: visibility=private",
        "## Money {: visibility=private }}",
        '## Grades {: visibility="private }',
        "## {: visibility=private } My health",
        "## X {: visibility=family } {: .note }",
        "## A {: visibility=private visibility=public }",
        '## B {: visibility="private public" }',
    ],
)
def test_malformed_marker_is_an_error_and_hides(district: District, heading: str) -> None:
    body = f"Intro.\n\n{heading}\n\nSecret text.\n"
    assert "Secret text." not in public_sees(body)
    district.write("students/ava/self-awareness/m.md", f"---\ntitle: M\nvisibility: public\n---\n{body}", dedent=False)
    result = district.check()
    assert result.exit_code == 1
    assert any(line.startswith("students/ava/self-awareness/m.md:7: ") for line in result.stdout.splitlines()), (
        result.stdout
    )


def test_heading_lines_inside_html_do_not_end_a_private_section() -> None:
    body = "Intro.\n\n## My health {: visibility=private }\n\n<pre>\n# meds\n</pre>\n\nPrivate text.\n\n<!--\n# note\n-->\n\nMore.\n"
    shown = public_sees(body)
    assert "Private text." not in shown
    assert "More." not in shown
    assert "Intro." in shown


def test_marker_inside_html_is_an_error(district: District) -> None:
    district.write(
        "students/ava/self-awareness/h.md",
        '---\ntitle: H\n---\n<div>\n## Inside {: visibility="private" }\n</div>\n',
        dedent=False,
    )
    assert (
        "students/ava/self-awareness/h.md:5: a visibility marker inside a block of HTML does not work; "
        "put it on a Markdown heading" in district.problems()
    )


@pytest.mark.parametrize(
    ("line", "url"),
    [
        ("[![badge](https://evil.example/1.png)](../artifacts/chart.svg)", "https://evil.example/1.png"),
        ("![pic][r]\n\n[r]: https://evil.example/2.png", "https://evil.example/2.png"),
        ("![two\nlines](https://evil.example/3.png)", "https://evil.example/3.png"),
        ('<img alt="a>b" src="https://evil.example/5.png">', "https://evil.example/5.png"),
        ('<img\n src="https://evil.example/6.png">', "https://evil.example/6.png"),
        ('<link rel="stylesheet" href="https://evil.example/7.css">', "https://evil.example/7.css"),
        ('<p style="background: url(https://evil.example/8.png)">x</p>', "https://evil.example/8.png"),
    ],
)
def test_anything_loaded_from_another_host_is_an_error(district: District, line: str, url: str) -> None:
    district.write("students/ava/self-awareness/l.md", f"---\ntitle: L\n---\n{line}\n", dedent=False)
    result = district.check()
    assert result.exit_code == 1
    assert f"image '{url}' is not a file in your folder; save it in artifacts/ and link it from there" in result.stdout


def test_link_to_a_data_file(district: District) -> None:
    district.write("students/ava/self-awareness/d.md", "---\ntitle: D\n---\n[my data](../profile.yml)\n", dedent=False)
    assert (
        "students/ava/self-awareness/d.md:4: link '../profile.yml' leads to a data file; "
        "link only to your pages and to files in artifacts/" in district.problems()
    )


def test_symlink_loop_does_not_stop_the_check(district: District) -> None:
    folder = district.root / "students/ava/goals"
    folder.mkdir()
    (folder / "loop.md").symlink_to(folder / "loop.md")
    district.write("students/ben/profile.yml", "name: Ben\ngraduation_year: 2031\neducators: [nobody]\n")
    result = district.check()
    assert (
        "students/ava/goals/loop.md:1: symlink that leads nowhere or in a loop; replace it with the file itself"
        in result.stdout
    )
    assert "students/ben/profile.yml:3: unknown educator 'nobody'" in result.stdout


def test_student_folder_symlink(district: District, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "profile.yml").write_text("name: X\ngraduation_year: 2031\n", encoding="utf-8")
    (district.root / "students/evil").symlink_to(outside)
    assert "students/evil:1: student folder is a symlink; move the folder itself into students/" in district.problems()


def test_fifo_is_not_read(district: District) -> None:
    (district.root / "students/ava/self-awareness").mkdir()
    os.mkfifo(district.root / "students/ava/self-awareness/pipe.md")
    assert (
        "students/ava/self-awareness/pipe.md:1: not a regular file (a device, pipe or socket); remove it"
        in district.problems()
    )


def test_file_name_with_a_line_break(district: District) -> None:
    district.write("students/ava/self-awareness/a\nb.md", "---\ntitle: X\n---\n", dedent=False)
    assert (
        "students/ava/self-awareness/a\\x0ab.md:1: file name has a control character, a line break or bytes "
        "that are not UTF-8; rename it" in district.problems()
    )


def test_long_line_is_refused_quickly(district: District) -> None:
    district.write("students/ava/self-awareness/long.md", "---\ntitle: L\n---\n" + "<a" * 20000 + "\n", dedent=False)
    problems = district.problems()
    assert (
        "students/ava/self-awareness/long.md:4: line is longer than 10000 characters; break it into shorter lines"
        in problems
    )


def test_full_access_cannot_include_everyone(district: District) -> None:
    config = (district.root / "mkdocs.yml").read_text(encoding="utf-8")
    district.write(
        "mkdocs.yml",
        config.replace("full_access: [student, educator]", "full_access: [student, educator, public]"),
        dedent=False,
    )
    assert any(
        "full_access includes 'public', which would show the whole ILP to everyone" in p for p in district.problems()
    )


def test_facilitator_heading_inside_a_fence_does_not_count(district: District) -> None:
    district.write(
        "curriculum/grade-07/fenced.md",
        "---\nid: g7-fenced\ntitle: F\ngrade: 7\nasca: [M 4]\nactivities: []\n---\nFor students.\n\n"
        "```\n## Facilitator notes {: .facilitator }\n```\nAnswers: B, C, A.\n",
        dedent=False,
    )
    assert (
        "curriculum/grade-07/fenced.md:8: lesson has no facilitator part; add a heading such as "
        "'## Facilitator notes {: .facilitator }'" in district.problems("curriculum")
    )


def test_setext_underline_is_not_a_conflict_marker(district: District) -> None:
    district.write("students/ava/self-awareness/s.md", "---\ntitle: S\n---\nMy plan\n=======\n\nText.\n", dedent=False)
    assert not [p for p in district.problems() if "conflict" in p]


def test_line_separator_keeps_line_numbers(district: District) -> None:
    district.write(
        "students/ava/goals.yml",
        "goals:\n  - id: a\n    domain: career\n    term: short\n    statement: x\u2028y\n    status: in-progress\n    bogus: 1\n",
        dedent=False,
    )
    assert (
        "students/ava/goals.yml:5: invisible line separator (U+2028); delete it or use a real line break"
        in district.problems()
    )


def test_artifact_kinds(district: District) -> None:
    district.write("students/ava/artifacts/page.html", "<script>alert(1)</script>", dedent=False)
    district.write("students/ava/artifacts/bad.svg", "<html><body>not svg</body></html>", dedent=False)
    problems = district.problems()
    assert any(
        p.startswith("students/ava/artifacts/page.html:1: this kind of file cannot be published; use one of .pdf")
        for p in problems
    )
    assert any(p.startswith("students/ava/artifacts/bad.svg:1: the file is not an SVG image") for p in problems)
