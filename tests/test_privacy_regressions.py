"""Leaks found in review, each planted and searched for in every file the family gets."""

from __future__ import annotations

import re
from pathlib import Path

from generator.pipeline import build
from tests.conftest import TODAY_DATE, District


def family_corpus(out: Path) -> str:
    parts = []
    for path in sorted((out / "family").rglob("*")):
        parts.append(path.relative_to(out).as_posix())
        if path.is_file():
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def built(district: District) -> Path:
    out = district.root.parent / "site"
    result = build(district.root, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    return out


def test_table_row_starting_with_hash_stays_in_its_section(district: District) -> None:
    district.write(
        "students/ava/self-awareness/f1.md",
        '---\ntitle: F1\nvisibility: family\n---\nIntro.\n\n## My worries {: visibility="private" }\n\n'
        "| Rank | Worry |\n| --- | --- |\n#1 | leakOneSecret my parents might split up\n",
        dedent=False,
    )
    out = built(district)
    assert "leakOneSecret" not in family_corpus(out)
    assert "leakOneSecret" in (out / "student/ava/self-awareness/f1/index.html").read_text(encoding="utf-8")


def test_tab_after_a_fence(district: District) -> None:
    district.write(
        "students/ava/self-awareness/f2.md",
        '---\ntitle: F2\nvisibility: family\n---\n```\t\nx\n```\n## Worries {: visibility="private" }\nleakTwoSecret\n```\n',
        dedent=False,
    )
    assert "leakTwoSecret" not in family_corpus(built(district))


def test_commented_out_image_and_notes_link_publish_nothing(district: District) -> None:
    district.write("students/ava/artifacts/leak-three.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n', dedent=False)
    district.write("students/ava/artifacts/leak-four.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n', dedent=False)
    district.write(
        "students/ava/self-awareness/f3.md",
        "---\ntitle: F3\nvisibility: family\nactivity: g6-all-about-me\n---\nHello.\n\n"
        "<!-- not sharing: ![leakThreeAlt](../artifacts/leak-three.svg) -->\n",
        dedent=False,
    )
    district.write(
        "students/ava/conference.md",
        "---\nvisibility: family\n---\n## Robot\n\nIt works.\n\nNotes: show [the letter](artifacts/leak-four.svg)\n",
        dedent=False,
    )
    out = built(district)
    corpus = family_corpus(out)
    for leak in ("leak-three", "leakThreeAlt", "leak-four"):
        assert leak not in corpus
    assert (out / "student/ava/artifacts/leak-four.svg").is_file()


def test_url_with_a_tab_is_dropped(district: District) -> None:
    district.write(
        "students/ava/experiences.yml",
        "experiences:\n  - id: art\n    type: club\n    title: Art\n    start: 2025-10-01\n"
        '    reflection: "![Poster](ht\\ntps://leak-five.example.com/pixel.png)"\n',
        dedent=False,
    )
    corpus = family_corpus(built(district))
    assert "leak-five" in corpus  # the student's words, shown as text: YAML text is never Markdown
    assert not re.search(r"<img[^>]*leak-five|src=\"[^\"]*leak-five", corpus)


def test_wrapped_link_to_a_hidden_page_keeps_no_file_name(district: District) -> None:
    district.write(
        "students/ava/transition-planning/leak-six-moving.md", "---\ntitle: Moving\n---\nPrivate.\n", dedent=False
    )
    district.write(
        "students/ava/self-awareness/f6.md",
        "---\ntitle: F6\nvisibility: family\n---\nSee my [plan for\nnext year](../transition-planning/leak-six-moving.md).\n",
        dedent=False,
    )
    assert "leak-six" not in family_corpus(built(district))


def test_markers_in_yaml_text_are_errors_and_comments_never_show(district: District) -> None:
    district.write(
        "students/ava/experiences.yml",
        "experiences:\n  - id: art\n    type: club\n    title: Art\n    start: 2025-10-01\n"
        '    reflection: "## Just for me {: visibility=private }"\n',
        dedent=False,
    )
    assert (
        "students/ava/experiences.yml:6: visibility markers work only in Markdown pages; "
        "give this item its own 'visibility:' key" in district.problems()
    )
    district.write(
        "students/ava/experiences.yml",
        "experiences:\n  - id: art\n    type: club\n    title: Art\n    start: 2025-10-01\n"
        '    reflection: "Fun. <!-- leakSevenComment -->"\n',
        dedent=False,
    )
    assert "leakSevenComment" not in family_corpus(built(district))


def test_marker_line_before_a_separator_on_a_slide(district: District) -> None:
    district.write(
        "students/ava/conference.md",
        '---\nvisibility: family\n---\n## Robot\n\nIt works.\n\nleakEight line {: visibility="private" }\n---\n\nMore.\n',
        dedent=False,
    )
    out = district.root.parent / "site"
    result = build(district.root, out, TODAY_DATE)
    assert [d.format() for d in result.errors] == [
        "students/ava/conference.md:8: a line '---' right under text makes that text a heading, not a new slide; "
        "leave a blank line before '---' to start the next slide"
    ]
    assert "leakEight" not in family_corpus(out)


def test_program_of_study_follows_the_courses_default(district: District) -> None:
    district.write(
        "students/ava/courses.yml",
        "program_of_study: leakNineProgram\nyears:\n  - grade: 7\n    courses:\n"
        "      - {title: Robotics, status: in-progress, visibility: advisory}\n",
        dedent=False,
    )
    out = built(district)
    advisory = "\n".join(p.read_text(encoding="utf-8") for p in (out / "advisory").rglob("*.html"))
    assert "Robotics" in advisory
    assert "leakNineProgram" not in advisory


def test_private_conference_file_keeps_its_title(district: District) -> None:
    district.write(
        "students/ava/conference.md",
        "---\ntitle: leakTenTitle\nvisibility: private\n---\n## Robot\n\nIt works.\n",
        dedent=False,
    )
    out = built(district)
    assert "leakTenTitle" not in family_corpus(out)
    assert "leakTenTitle" in (out / "student/ava/conference/index.html").read_text(encoding="utf-8")
