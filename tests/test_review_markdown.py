"""Review of the new Markdown layer: a student writes a page to see what the family view shows.

Each test plants unique canaries ("zqx..."), runs the real `ilp check` and `ilp build` on the small
district of tests/conftest.py, and searches every file (and file name) built for an audience that may
not see them; or it asserts that what `ilp check` accepts renders for the student as the check read it;
or that check and build take linear time on pathological input.

Where the fix could reasonably be either "refuse it" or "hide it", the test accepts both: `ilp check`
reports the line (error or warning), or nothing leaks.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from generator.markdown.html import render_markdown
from tests.conftest import District
from tests.scan import PAGE, build, corpus, restricted_corpus, write_page

DECK = "students/ava/conference.md"
T = TypeVar("T")
SVG = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>\n'


# --- Helpers (as in tests/test_adversarial.py) ----------------------------------------------------


def reported_lines(output: str, rel: str) -> set[int]:
    """The lines of `rel` that `ilp check` reports (errors and warnings)."""
    return {int(m.group(1)) for m in re.finditer(rf"^{re.escape(rel)}:(\d+): ", output, re.M)}


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def assert_reported_or_hidden(district: District, rel: str, lines: tuple[int, int], out: Path, *canaries: str) -> None:
    """Either `ilp check` reports a line of `rel` in lines[0]..lines[1], or no canary reaches a restricted audience."""
    check = district.check()
    if reported_lines(check.output, rel) & set(range(lines[0], lines[1] + 1)):
        return
    leaked = [c for c in canaries if c.lower() in restricted_corpus(out)]
    assert not leaked, (
        f"{leaked} reached family/advisory/public, and `ilp check` said nothing about {rel}:{lines[0]}-{lines[1]}:\n"
        f"{check.output}"
    )


def timed(call: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


# --- 1. Files referenced where no page shows them -------------------------------------------------


def test_image_inside_an_html_comment_is_not_published(district: District) -> None:
    """`-- >` does not end an HTML comment (HTML5, nh3), but Python's HTMLParser, which collects the URLs
    that decide which artifacts are published, ends the comment there. The image inside the comment is
    shown nowhere, yet its file is copied into every audience's site and listed by name on the
    'Evidence files' page and in the search index."""
    district.write("students/ava/artifacts/zqxcommentfile1.svg", SVG, dedent=False)
    write_page(
        district,
        "Intro zqxneighbour1 everyone may read.\n\n"
        '<!-- old photo, not yet -- > <img src="../artifacts/zqxcommentfile1.svg" alt="zqxcommentalt1"> -->\n\n'
        "More text.\n",
    )
    out, result = build(district)
    assert result.exit_code == 0, result.output
    assert "zqxneighbour1" in corpus(out / "family" / "ava"), "the test plants the page wrong"
    for audience in ("family", "advisory", "public"):
        text = corpus(out / audience)
        assert "zqxcommentfile1" not in text, f"a file named only inside an HTML comment reached {audience}"
        assert "zqxcommentalt1" not in text


@pytest.mark.parametrize(
    "html",
    [
        pytest.param('<template><img src="../artifacts/zqxunshown2.svg"></template>', id="template"),
        pytest.param('<img src="../artifacts/chart.svg" src="../artifacts/zqxunshown2.svg">', id="duplicate_src"),
    ],
)
def test_artifact_that_no_rendered_page_shows_is_not_published(district: District, html: str) -> None:
    """The URL collector (html.parser) and the renderer (nh3/html5ever) read raw HTML differently: a
    second `src` or an `<img>` in a `<template>` renders as nothing, but the file is published and its
    name listed on the family's 'Evidence files' page."""
    district.write("students/ava/artifacts/zqxunshown2.svg", SVG, dedent=False)
    write_page(district, f"Intro zqxneighbour2.\n\n{html}\n")
    out, result = build(district)
    assert result.exit_code == 0, result.output
    family = out / "family" / "ava"
    assert "zqxneighbour2" in corpus(family), "the test plants the page wrong"
    shown = "".join(p.read_text(encoding="utf-8") for p in family.rglob("index.html") if "evidence" not in p.as_posix())
    if "zqxunshown2" not in shown.lower():
        assert "zqxunshown2" not in restricted_corpus(out), (
            "an artifact that no page of the family site shows was published to family (file and file name)"
        )


# --- 2. Markers that look like markers, but are read as words -------------------------------------


@pytest.mark.parametrize(
    "marker",
    [
        pytest.param("## My worries {visibility: private}", id="braces_yaml_style"),
        pytest.param("## My worries { visibility: private }", id="braces_yaml_style_spaced"),
        pytest.param("## My worries (visibility: private)", id="parentheses_yaml_style"),
        pytest.param("## My worries {: .private }", id="private_class"),
        pytest.param("## My worries\n\nvisibility: private", id="front_matter_style_line"),
    ],
)
def test_marker_written_like_front_matter_is_refused_or_hides(district: District, marker: str) -> None:
    """`visibility: private` is how front matter says it; in a heading it is silently read as the heading's
    words, with no error, and the 'private' section is shared with the family. (`{: visibility: private }`
    with the colon is already an error; without it, nothing.)"""
    page = write_page(district, f"Intro zqxneighbour3.\n\n{marker}\n\nZqxworry3 is my worry.\n")
    out, result = build(district)
    # 1: ilp check refuses the page, and then nothing of this student is built
    assert result.exit_code in (0, 1), result.output
    at = line_of(page, "private")
    assert_reported_or_hidden(district, PAGE, (at, at), out, "zqxworry3")


# --- 3. Setext underlines: '---' without a blank line before it ----------------------------------


def test_deck_notes_followed_by_dashes_stay_with_the_student(district: District) -> None:
    """In conference.md slides are separated by '---' after a blank line. Without the blank line, the
    'Notes:' paragraph becomes a setext heading: no longer notes, it is shown on the family's deck."""
    deck = district.write(
        DECK,
        "---\ntitle: My conference\nvisibility: family\n---\n"
        "## My robot\n\nIt picks up cups.\n\n"
        "Notes: zqxnotes4 remember to thank Mr. Rivera\n---\n\n"
        "## What is next\n\nMore robots.\n",
        dedent=False,
    )
    out, result = build(district)
    # 1: ilp check refuses the page, and then nothing of this student is built
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 0:
        assert "it picks up cups" in corpus(out / "family" / "ava" / "conference"), "the test plants the deck wrong"
    at = line_of(deck, "Notes:")
    assert_reported_or_hidden(district, DECK, (at, at + 1), out, "zqxnotes4")


def test_deck_private_slide_text_followed_by_dashes_stays_private(district: District) -> None:
    """The last line of a private slide, followed by '---' without a blank line, becomes a heading of the
    same level as the slide's: it ends the private part and is the title of a slide in the family deck."""
    deck = district.write(
        DECK,
        "---\ntitle: My conference\nvisibility: family\n---\n"
        "## My robot\n\nIt picks up cups.\n\n---\n\n"
        '## My worries {: visibility="private" }\n\nZqxslide5 is what worries me\n---\n\n'
        "## What is next\n\nMore robots.\n",
        dedent=False,
    )
    out, result = build(district)
    # 1: ilp check refuses the page, and then nothing of this student is built
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 0:
        assert "it picks up cups" in corpus(out / "family" / "ava" / "conference"), "the test plants the deck wrong"
    at = line_of(deck, "Zqxslide5")
    assert_reported_or_hidden(district, DECK, (at, at + 1), out, "zqxslide5")


def test_page_private_section_ended_by_a_setext_underline(district: District) -> None:
    """The same on a page: 'text' + '---' under a private '##' is a new '##' heading, so the line and
    everything after it go to the family, and `ilp check` says nothing."""
    page = write_page(
        district,
        'Intro zqxneighbour6.\n\n## My worries {: visibility="private" }\n\n'
        "Zqxsetext6 is what I worry about\n---\n\nZqxafter6 and more worries.\n",
    )
    out, result = build(district)
    # 1: ilp check refuses the page, and then nothing of this student is built
    assert result.exit_code in (0, 1), result.output
    at = line_of(page, "Zqxsetext6")
    assert_reported_or_hidden(district, PAGE, (at, at + 1), out, "zqxsetext6", "zqxafter6")


# --- 4. Comments -----------------------------------------------------------------------------------


def test_comment_opened_mid_paragraph_and_closed_after_a_blank_line(district: District) -> None:
    """An inline HTML comment cannot span a blank line, so `<!--` opened mid-line and closed two paragraphs
    later is printed as text, for every audience. Student strings (clean_text) treat an unclosed comment
    as a comment; page bodies do not, and `ilp check` says nothing."""
    page = write_page(
        district,
        "My plan is going well. <!-- note to self: zqxcomment7 worries me\n\nand zqxcomment8 too -->\n\nMore.\n",
    )
    out, result = build(district)
    # 1: ilp check refuses the page, and then nothing of this student is built
    assert result.exit_code in (0, 1), result.output
    lines = (line_of(page, "<!--"), line_of(page, "-->"))
    assert_reported_or_hidden(district, PAGE, lines, out, "zqxcomment7", "zqxcomment8")


# --- 5. A private page's own title and file name ----------------------------------------------------


def test_private_page_with_a_shared_section_keeps_its_title_and_file_name(district: District) -> None:
    """`visibility: private` in front matter makes the page's title private; one section under a
    `{: visibility="family" }` heading is shared (the heading and what is under it), but the family
    site shows the page under its private title and at a URL made of its private file name."""
    write_page(
        district,
        'Private intro.\n\n## For my family {: visibility="family" }\n\nZqxshared9 we can talk about.\n',
        front="title: Zqxtitle9 my diagnosis\nvisibility: private\n",
        rel="students/ava/career-exploration/zqxfile9.md",
    )
    out, result = build(district)
    assert result.exit_code == 0, result.output
    restricted = restricted_corpus(out)
    assert "zqxtitle9" not in restricted, "a private page's title reached family"
    assert "zqxfile9" not in restricted, "a private page's file name reached family"


# --- 6. What `ilp check` accepts renders for the student ---------------------------------------------


@pytest.mark.parametrize("target", ["../artifacts/", "../career-exploration/"])
def test_folder_link_that_check_accepts_is_a_link_for_the_student(district: District, target: str) -> None:
    """`resolve` accepts a link to a folder of the student's (any file under it exists); the site drops it
    (source URL checked against the built page's folder), so the student's page shows plain text."""
    write_page(district, f"See [zqxfolderlink10]({target}) please.\n")
    check = district.check()
    if check.exit_code != 0 and reported_lines(check.output, PAGE):
        return
    out, result = build(district)
    assert result.exit_code == 0, result.output
    html = (out / "student" / "ava" / "career-exploration" / "probe" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<a [^>]*href=[^>]*>zqxfolderlink10</a>", html), (
        "`ilp check` accepted the link, but the student's page shows it as plain text"
    )


def test_deck_reference_defined_on_another_slide_renders_for_the_student(district: District) -> None:
    """Check resolves link references over the whole conference.md; the deck renders each slide alone, so
    a reference defined on another slide prints as '[text][label]' in the student's own deck."""
    district.write(
        DECK,
        "---\ntitle: My conference\nvisibility: family\n---\n"
        "## My robot\n\nWatch [zqxvideo11][v].\n\n---\n\n"
        "## Sources\n\nThanks.\n\n[v]: https://example.org/robot-video\n",
        dedent=False,
    )
    check = district.check()
    if check.exit_code != 0 and reported_lines(check.output, DECK):
        return
    out, result = build(district)
    assert result.exit_code == 0, result.output
    html = (out / "student" / "ava" / "conference" / "index.html").read_text(encoding="utf-8")
    assert "[zqxvideo11][v]" not in html, "`ilp check` accepted the reference, but the deck prints it as text"
    assert 'href="https://example.org/robot-video"' in html


def test_text_after_a_deeply_nested_list_is_not_lost(district: District) -> None:
    """Past the parser's nesting limit (20), markdown-it stops reading: the deep items *and every line
    after them* vanish from every view, including the student's, while `ilp check` says nothing."""
    page = write_page(
        district, "".join("  " * i + f"- level {i}\n" for i in range(25)) + "\nZqxafterdeep12 is my conclusion.\n"
    )
    check = district.check()
    if reported_lines(check.output, PAGE) & set(range(line_of(page, "- level 0"), line_of(page, "Zqxafter") + 1)):
        return
    out, result = build(district)
    assert result.exit_code == 0, result.output
    assert "zqxafterdeep12" in corpus(out / "student" / "ava"), (
        "text after a deep list is missing from the student's own view, and `ilp check` said nothing"
    )


# --- 7. Time: linear on pathological input ------------------------------------------------------------


def _check_and_build_seconds(district: District) -> float:
    check, check_time = timed(district.check)
    (_, built), build_time = timed(lambda: build(district))
    assert built.exit_code == check.exit_code or check.exit_code != 0, built.output
    return check_time + build_time


def test_ten_thousand_brackets_check_and_build_quickly(district: District) -> None:
    """A guard: a 10,000-character line of '[' (and of '![') parses in linear time."""
    write_page(district, "Fine.\n")
    baseline = _check_and_build_seconds(district)
    write_page(district, "[" * 10_000 + "\n\n" + "![" * 5_000 + "\n")
    # check and build each parse it once (about half a second each here): linear, with room for a busy machine
    assert _check_and_build_seconds(district) - baseline < 6.0


def test_heading_with_brace_and_spaces_is_linear(district: District) -> None:
    """`split_attrs`' pattern backtracks quadratically on '{' followed by many spaces: one 10,000-character
    heading line (which `ilp check` accepts: lines may be 10,000 characters) takes seconds to check, and
    seconds again to build."""
    line = "## My plan {" + " " * 9_980 + "x"
    assert len(line) <= 10_000
    write_page(district, "Fine.\n")
    baseline = _check_and_build_seconds(district)
    write_page(district, line + "\n\nText.\n")
    assert _check_and_build_seconds(district) - baseline < 2.0


def test_marker_like_words_in_long_lines_are_linear(district: District) -> None:
    """`MARKER_LIKE` (visib\\w*\\s*=) rescans the rest of the line from every 'visib': quadratic per line,
    repeated for check, for every audience's filter and for stray-marker detection."""
    write_page(district, "Fine.\n")
    baseline = _check_and_build_seconds(district)
    write_page(district, ("visib" * 2_000 + "\n") * 20)
    # check and build each parse it once (about half a second each here): linear, with room for a busy machine
    assert _check_and_build_seconds(district) - baseline < 6.0


def test_braces_in_a_goal_statement_are_linear(district: District) -> None:
    """`_MARKER_IN_TEXT` (\\{:?[^}]*visib...) on every YAML string rescans from every '{': a goal statement
    of 30,000 '{' takes seconds in `ilp check` (YAML strings have no line limit)."""
    goals = district.root / "students/ava/goals.yml"
    district.write(
        "students/ava/goals.yml",
        goals.read_text(encoding="utf-8").replace(
            "statement: Get a B in math this semester.", 'statement: "' + "{" * 30_000 + '"'
        ),
        dedent=False,
    )
    _, seconds = timed(district.check)
    assert seconds < 1.5


def test_many_headings_with_the_same_words_render_in_linear_time() -> None:
    """Heading ids are made unique by counting up from 1 for every duplicate: quadratic in the number of
    headings with the same words (8,000 '## Same' take seconds per audience)."""
    # The fastest of 3 runs each: a shared machine's pauses would otherwise decide the ratio.
    distinct = min(
        timed(lambda: render_markdown("".join(f"## Heading {i}\n\n" for i in range(8_000))))[1] for _ in range(3)
    )
    runs = [timed(lambda: render_markdown("## Same\n\n" * 8_000)) for _ in range(3)]
    rendered, same = runs[0][0], min(seconds for _, seconds in runs)
    assert len({entry.ident for entry in rendered.toc}) == 8_000
    assert same < 3 * distinct + 0.5, f"duplicate headings: {same:.2f} s, distinct headings: {distinct:.2f} s"
