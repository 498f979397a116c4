"""One reading: what `ilp check` accepts is what renders for the student, and the parse is bounded.

Images and links in every construct the parser supports are checked and built from the same
tokens: an image that check accepts appears in the student's page with its file published, and a
bad one is reported at its line wherever it stands.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from generator.markdown.document import parse
from generator.markdown.html import render_document
from generator.markdown.urls import urls
from generator.pipeline import build
from tests.conftest import TODAY_DATE, District

PAGE = "students/ava/self-awareness/many.md"
CONSTRUCTS = {
    "paragraph": "![p one](../artifacts/i-paragraph.svg)",
    "table": "| a | b |\n| --- | --- |\n| ![p two](../artifacts/i-table.svg) | x |",
    "list": "- item\n  - ![p three](../artifacts/i-list.svg)",
    "quote": "> ![p four](../artifacts/i-quote.svg)",
    "deflist": "Term\n: ![p five](../artifacts/i-deflist.svg)",
    "footnote": "Note.[^f]\n\n[^f]: ![p six](../artifacts/i-footnote.svg)",
    "reference": "![p seven][pic]\n\n[pic]: ../artifacts/i-reference.svg",
    "html": '<p><img src="../artifacts/i-html.svg" alt="p eight"></p>',
    "link-around": "[![p nine](../artifacts/i-linked.svg)](../artifacts/i-linked.svg)",
}
SVG = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="2" height="2"/></svg>\n'


def test_every_image_check_accepts_renders_for_the_student(district: District) -> None:
    for name in CONSTRUCTS:
        target = "linked" if name == "link-around" else name
        district.write(f"students/ava/artifacts/i-{target}.svg", SVG, dedent=False)
    body = "\n\n".join(CONSTRUCTS.values())
    district.write(PAGE, f"---\ntitle: Many\nvisibility: private\n---\n{body}\n", dedent=False)
    assert district.check().exit_code == 0, district.check().stdout
    out = district.root.parent / "site"
    result = build(district.root, out, TODAY_DATE)
    assert not result.errors
    html = (out / "student/ava/self-awareness/many/index.html").read_text(encoding="utf-8")
    for name in CONSTRUCTS:
        target = "linked" if name == "link-around" else name
        assert re.search(rf'<img[^>]+src="\.\./\.\./artifacts/i-{target}\.svg"', html), name
        assert (out / f"student/ava/artifacts/i-{target}.svg").is_file(), name
    # The page is private: not one of its images reaches the family.
    assert not any((out / "family/ava/artifacts").glob("i-*.svg"))


@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_an_image_from_elsewhere_is_reported_wherever_it_stands(district: District, name: str) -> None:
    source = CONSTRUCTS[name].replace("../artifacts/", "https://tracker.example/")
    district.write(PAGE, f"---\ntitle: Many\n---\nFirst line.\n\n{source}\n", dedent=False)
    result = district.check()
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "tracker.example" in line]
    assert lines, result.stdout
    # The line of the image itself (for a reference image, where it is used, not where it is defined).
    line = 6 + next(i for i, text in enumerate(source.split("\n")) if "![" in text or "<img" in text)
    assert lines[0].startswith(f"{PAGE}:{line}: image 'https://tracker.example/"), lines


def test_code_and_comments_hold_no_link(district: District) -> None:
    body = (
        "`![x](https://tracker.example/a.png)`\n\n```\n![y](https://tracker.example/b.png)\n```\n\n"
        "    ![z](https://tracker.example/c.png)\n\n<!-- ![w](https://tracker.example/d.png) -->\n"
    )
    district.write(PAGE, f"---\ntitle: Code\n---\n{body}", dedent=False)
    assert district.check().exit_code == 0, district.check().stdout
    assert list(urls(parse(body))) == []


def test_markdown_inside_html_is_a_warning(district: District) -> None:
    district.write(
        PAGE, '---\ntitle: Div\n---\n<div markdown="1">\n![a](../artifacts/chart.svg)\n</div>\n', dedent=False
    )
    assert (
        f"{PAGE}:4: warning: Markdown inside an HTML block shows as plain text; leave a blank line after the "
        "opening tag, or write the part in Markdown without the HTML"
    ) in district.problems()


def test_a_marker_that_widens_an_enclosing_section_is_a_warning(district: District) -> None:
    district.write(
        PAGE,
        '---\ntitle: Nested\nvisibility: family\n---\n## Worries {: visibility="private" }\n\nA.\n\n'
        '### Help {: visibility="family advisory" }\n\nB.\n',
        dedent=False,
    )
    assert (
        f"{PAGE}:9: warning: this marker shares with family, advisory, but the section it is in (line 5) does not; "
        "the narrower one wins, so family, advisory will not see it. Move the heading out of that section, "
        "or share the enclosing section too"
    ) in district.problems()


@pytest.mark.parametrize(
    "body",
    [
        "![" * 5_000,
        "> " * 5_000 + "deep",
        "".join("  " * i + "- x\n" for i in range(1_000)),  # 1 MB: the size limit is 2 MB
        "*a **b " * 2_000,
        "<" * 10_000,
        "[x]" * 3_000 + "\n\n" + "".join(f"[x{i}]: /u\n" for i in range(3_000)),
    ],
)
def test_pathological_markdown_parses_in_linear_time(body: str) -> None:
    """Read, rendered and its links listed: a quadratic parse would take minutes on these."""
    started = time.perf_counter()
    doc = parse(body)
    render_document(doc)
    list(urls(doc))
    assert time.perf_counter() - started < 2.5


def test_a_line_of_ten_thousand_brackets_parses_in_under_a_second() -> None:
    started = time.perf_counter()
    doc = parse("[" * 10_000)
    render_document(doc)
    assert time.perf_counter() - started < 1.0


def test_a_line_of_brackets_checks_and_builds(district: District, tmp_path: Path) -> None:
    district.write(PAGE, "---\ntitle: Brackets\n---\n" + "[" * 9_999 + "\n", dedent=False)
    started = time.perf_counter()
    assert district.check().exit_code == 0
    result = build(district.root, tmp_path / "site", TODAY_DATE)
    assert not result.errors
    assert time.perf_counter() - started < 10  # the whole check and build, not only the parse
