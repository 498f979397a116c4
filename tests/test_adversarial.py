"""Adversarial end-to-end tests: hidden text planted in every Markdown construct never leaks.

Each test plants unique canary strings ("zqx..."; alphanumeric, never a word) in places that an
audience may not see, runs the real `ilp check` and `ilp build` on a small district in tmp_path, and
searches every byte of every file (and every file name) built for the audiences that may not see
them. These tests encode the intended rules of the Markdown layer (one markdown-it-py parse per page,
visibility decided on its tokens):

- a heading marker `## H {: visibility="..." }` covers that heading and everything under it up to
  the next heading of the same or a higher level; nested markers intersect (a family section inside
  a private section is not shown to family);
- only top-level headings are section headings; a marker inside a list, a block quote, HTML or code
  is an error (`path:line: message`) and the hidden text still never leaks;
- HTML comments reach no audience at all, not even the student;
- every student-written string (titles, names, slide headings) is sanitized: comments and markup
  reach no output;
- YAML anchors/aliases and front matter closed with `...` are `path:line` errors;
- old versions in git history are read with today's schema; one that does not validate is private.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import District
from tests.scan import FULL_ACCESS, PAGE, build, corpus, restricted_corpus, write_page

PRIVATE_MARKER = '## Private part {: visibility="private" }'


# --- Helpers ------------------------------------------------------------------------------------


def everything(out: Path) -> str:
    """Everything built, for every audience."""
    return corpus(out)


def assert_nowhere_but_full_access(out: Path, *canaries: str) -> None:
    text = restricted_corpus(out)
    for canary in canaries:
        assert canary.lower() not in text, f"{canary!r} reached an audience that may not see it"


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the file that first contains `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def error_lines(output: str, rel: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(rf"{re.escape(rel)}:\d+: ", line)]


# --- 1. Markdown constructs -----------------------------------------------------------------------

VALID = "valid"  # must pass check; canary hidden, shown to the student; neighbour shown to family
ERROR = "error"  # must be refused with path:line; canary hidden
EITHER = "either"  # refusing it is fine (fail closed); if accepted, it behaves like VALID
COMMENT = "comment"  # an HTML comment: valid, and the canary reaches no audience at all


@dataclass(frozen=True)
class Case:
    id: str
    body: str  # "@N@" is the visible neighbour, "@C@" the canary
    kind: str = VALID
    front: str = "title: Probe page\nvisibility: family\n"
    error_at: str | None = None  # ERROR: the text of the line that must be reported
    files: dict[str, str] = field(default_factory=dict)  # extra files; "@C@" allowed in paths and text
    shown: bool = True  # the canary is text the student's own view shows (a footnote label is not)


def hidden(text: str, intro: str = "Intro @N@ everyone may read.\n\n") -> str:
    """A page body: a visible intro with the neighbour, then a private section holding `text`."""
    return f"{intro}{PRIVATE_MARKER}\n\n{text}\n"


FAKE_SHARE = '## Shared again {: visibility="family" }'

CASES = [
    Case("paragraph", hidden("My worry is @C@ and more.")),
    Case("atx_heading_text", hidden("### Sub @C@ heading\n\nText.")),
    Case("atx_heading_closed", hidden("### Sub @C@ heading ###\n\nText.")),
    Case(
        "setext_heading_inside",
        'Intro @N@.\n\n# Private part {: visibility="private" }\n\nTitle @C@\n-----\n\nMore secret.\n',
    ),
    Case("setext_h1_underline_after_lazy_line", hidden("- item\nlazy line\n=====\n\nThen @C@ here.")),
    Case("setext_underline_after_quote", hidden("> quoted\n=====\n\nThen @C@ here.")),
    Case(
        "setext_marker_h1",
        'Intro @N@.\n\nPrivate part {: visibility="private" }\n======================================\n\n@C@ text.\n',
        kind=EITHER,
    ),
    Case(
        "setext_marker_h2",
        'Intro @N@.\n\nPrivate part {: visibility="private" }\n--------------------------------------\n\n@C@ text.\n',
        kind=EITHER,
    ),
    Case("table_cell", hidden("| A | B |\n| --- | --- |\n| one | @C@ |")),
    Case("table_header", hidden("| @C@ | B |\n| --- | --- |\n| one | two |")),
    Case("table_row_starting_with_hash", hidden("| Rank | Worry |\n| --- | --- |\n#1 | @C@ worry"), kind=EITHER),
    Case(
        "footnote_defined_in_hidden_referenced_from_visible",
        "Intro @N@ with a note.[^n]\n\n" + PRIVATE_MARKER + "\n\n[^n]: @C@ footnote text.\n",
    ),
    Case("footnote_referenced_and_defined_in_hidden", hidden("Secret.[^s]\n\n[^s]: @C@ footnote text.")),
    Case("inline_footnote", hidden("Secret.^[@C@ inline note]")),
    Case("definition_list_definition", hidden("Term\n: @C@ definition")),
    Case("definition_list_term", hidden("@C@ term\n: A definition.")),
    Case(
        "reference_link_defined_in_hidden",
        "Intro @N@, see [my source][r].\n\n" + PRIVATE_MARKER + '\n\n[r]: https://example.org/@C@ "@C@ title"\n',
    ),
    Case("reference_link_in_hidden", hidden('See [it][r2].\n\n[r2]: https://example.org/@C@ "Title"')),
    Case("reference_image_in_hidden", hidden("![@C@ alt][pic]\n\n[pic]: ../artifacts/chart.svg")),
    Case(
        "reference_image_defined_in_hidden",
        "Intro @N@.\n\n![a chart][pic]\n\n" + PRIVATE_MARKER + '\n\n[pic]: ../artifacts/chart.svg "@C@ title"\n',
    ),
    Case(
        "reference_image_file_defined_in_hidden",
        "Intro @N@.\n\n![a chart][pic]\n\n" + PRIVATE_MARKER + "\n\n[pic]: ../artifacts/@C@.svg\n",
        files={
            "students/ava/artifacts/@C@.svg": '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>\n'
        },
    ),
    Case("inline_link_url", hidden("See [this](https://example.org/@C@).")),
    Case("inline_link_title", hidden('See [this](https://example.org/x "@C@ title").')),
    Case("link_text", hidden("See [@C@ text](https://example.org/x).")),
    Case("autolink", hidden("See <https://example.org/@C@>.")),
    Case("image_alt", hidden("![@C@ alt](../artifacts/chart.svg)")),
    Case("image_title", hidden('![A chart](../artifacts/chart.svg "@C@ title")')),
    Case(
        "image_file_name",
        hidden("![A chart](../artifacts/@C@.svg)"),
        files={
            "students/ava/artifacts/@C@.svg": '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>\n'
        },
    ),
    Case("html_block_div", hidden("<div>@C@</div>")),
    Case("html_block_with_heading_line", hidden("<div>\n## Looks like a heading\n@C@\n</div>")),
    Case("html_block_indented_1", hidden(" <div>\n## Looks like a heading\n@C@\n</div>")),
    Case("html_block_indented_2", hidden("  <div>\n## Looks like a heading\n@C@\n</div>")),
    Case("html_block_indented_3", hidden("   <div>\n## Looks like a heading\n@C@\n</div>")),
    Case("html_heading_does_not_end_section", hidden("<h2>Looks shared</h2>\n\n@C@ after it.")),
    Case("details_summary", hidden("<details><summary>@C@ summary</summary>\nBody text.\n</details>")),
    Case("details_with_markdown", hidden("<details>\n<summary>More</summary>\n\n@C@ inside.\n\n</details>")),
    Case("html_attribute_with_closing_tag", hidden('<div title="</div>">\n## Looks like a heading\n@C@\n</div>')),
    Case("html_comment_in_visible", "Intro @N@.\n\n<!-- @C@ -->\n\nMore.\n", kind=COMMENT),
    Case("html_comment_inline_in_visible", "Intro @N@ and <!-- @C@ --> more.\n", kind=COMMENT),
    Case("html_comment_multiline", "Intro @N@.\n\n<!--\nnote\n@C@\n-->\n\nMore.\n", kind=COMMENT),
    Case("html_comment_in_hidden", hidden("<!-- @C@ -->\n\nMore secret."), kind=COMMENT),
    Case("html_comment_in_table", "Intro @N@.\n\n| A | B |\n| --- | --- |\n| x <!-- @C@ --> | y |\n", kind=COMMENT),
    Case("html_comment_in_heading", "Intro @N@.\n\n## Heading <!-- @C@ -->\n\nText.\n", kind=COMMENT),
    Case("block_quote", hidden("> @C@ quoted.")),
    Case("quote_heading_does_not_end_section", hidden("> ## Shared again\n\n@C@ after the quote.")),
    Case("list_heading_does_not_end_section", hidden("- ## Shared again\n\n@C@ after the list.")),
    Case("nested_list", hidden("- a\n  - b\n    - @C@ deep")),
    Case("ordered_list", hidden("1. first\n2. @C@ second")),
    Case("fenced_code_backticks", hidden("```\n@C@ in code\n## Shared again\n```")),
    Case("fenced_code_tildes", hidden("~~~\n@C@ in code\n## Shared again\n~~~")),
    Case("fenced_code_tab_after_fence", hidden("```\t\nx\n```\n\n@C@ after code.")),
    Case("indented_code", hidden("Para.\n\n    @C@ in code\n    ## Shared again")),
    Case("inline_code", hidden("Run `@C@` now.")),
    Case(
        "unclosed_fence",
        hidden("```\n@C@ in a fence that never closes\n" + FAKE_SHARE + "\n\n@C@ after the fake marker"),
        kind=EITHER,
    ),
    *[
        Case(
            f"invisible_char_before_marker_{name}",
            hidden(f"Secret.\n\n{char}{FAKE_SHARE}\n\n@C@ after it."),
            kind=EITHER,
        )
        for name, char in [
            ("zwsp", "\u200b"),
            ("bom", "\ufeff"),
            ("word_joiner", "\u2060"),
            ("nbsp", "\u00a0"),
            ("vertical_tab", "\x0b"),
            ("form_feed", "\x0c"),
            ("control_a", "\x01"),
            ("tab", "\t"),
            ("four_spaces", "    "),
        ]
    ],
    Case(
        "marker_private_trailing_hashes_before",
        'Intro @N@.\n\n## Private part ## {: visibility="private" }\n\n@C@ text.\n',
        kind=EITHER,
    ),
    Case(
        "marker_private_trailing_hashes_after",
        'Intro @N@.\n\n## Private part {: visibility="private" } ##\n\n@C@ text.\n',
        kind=EITHER,
    ),
    Case(
        "marker_family_trailing_hashes_before_in_private_page",
        'Private @C@ intro.\n\n## For family ## {: visibility="family" }\n\nShared @N@.\n',
        kind=EITHER,
        front="title: Probe page\nvisibility: private\n",
    ),
    Case(
        "marker_family_trailing_hashes_after_in_private_page",
        'Private @C@ intro.\n\n## For family {: visibility="family" } ##\n\nShared @N@.\n',
        kind=EITHER,
        front="title: Probe page\nvisibility: private\n",
    ),
    Case(
        "marker_private_in_list_item",
        'Intro @N@.\n\n- ## Private part {: visibility="private" }\n\n  @C@ in the item.\n',
        kind=ERROR,
        error_at="- ## Private part",
    ),
    Case(
        "marker_private_in_block_quote",
        'Intro @N@.\n\n> ## Private part {: visibility="private" }\n>\n> @C@ in the quote.\n',
        kind=ERROR,
        error_at="> ## Private part",
    ),
    Case(
        "marker_family_in_list_item",
        hidden(f"- {FAKE_SHARE}\n\n  @C@ in the item.\n\n@C@ after."),
        kind=ERROR,
        error_at=f"- {FAKE_SHARE}",
    ),
    Case(
        "marker_family_in_block_quote",
        hidden(f"> {FAKE_SHARE}\n\n@C@ after the quote."),
        kind=ERROR,
        error_at=f"> {FAKE_SHARE}",
    ),
    Case(
        "marker_family_in_html_block",
        hidden(f"<div>\n{FAKE_SHARE}\n@C@\n</div>\n\n@C@ after."),
        kind=ERROR,
        error_at=FAKE_SHARE,
    ),
    Case(
        "marker_family_in_indented_code",
        hidden(f"Para.\n\n    {FAKE_SHARE}\n    @C@ code"),
        kind=EITHER,
    ),
    Case(
        "nested_family_under_private", hidden('### For family {: visibility="family" }\n\n@C@ under the inner heading.')
    ),
    Case(
        "nested_public_under_private",
        hidden('### For everyone {: visibility="public" }\n\n@C@ under the inner heading.'),
    ),
    Case(
        "nested_family_under_advisory",
        'Intro @N@.\n\n## Advisory part {: visibility="advisory" }\n\n### For family {: visibility="family" }\n\n@C@ text.\n',
        front="title: Probe page\nvisibility: family advisory\n",
    ),
    Case(
        "nested_deeper_family_under_private",
        hidden(
            '#### Deep {: visibility="family" }\n\n@C@ deep.\n\n### Middle {: visibility="family advisory" }\n\n@C@ middle.'
        ),
    ),
    Case(
        "private_page_with_family_section",
        'Private @C@ intro.\n\n## For family {: visibility="family" }\n\nShared @N@ text.\n',
        front="title: Probe page\nvisibility: private\n",
    ),
    Case(
        "private_page_family_section_then_unmarked_sibling",
        'Private intro.\n\n## For family {: visibility="family" }\n\nShared @N@ text.\n\n## Unmarked sibling\n\n@C@ text.\n',
        front="title: Probe page\nvisibility: private\n",
    ),
    Case(
        "headings_deeper_then_shallower",
        "Intro.\n\n"
        + PRIVATE_MARKER
        + "\n\nSecret.\n\n#### Sub @C@ deep\n\n@C@ deep text.\n\n### Still private @C@\n\n"
        "@C@ text.\n\n## Shared\n\nShared @N@ again.\n",
    ),
    Case("marker_heading_with_tab", 'Intro @N@.\n\n##\tPrivate part {: visibility="private" }\n\n@C@ text.\n'),
    Case("marker_heading_indented_3", 'Intro @N@.\n\n   ## Private part {: visibility="private" }\n\n@C@ text.\n'),
    Case(
        "marker_without_space_after_hashes",
        'Intro @N@.\n\n##Private part {: visibility="private" }\n\n@C@ text.\n',
        kind=EITHER,
    ),
    Case(
        "marker_wrapped_in_html",
        'Intro @N@.\n\n## Private part <span>{: visibility="private" }</span>\n\n@C@ text.\n',
        kind=EITHER,
    ),
    Case("entity_hash_before_marker", hidden(f"Secret.\n\n&#35;{FAKE_SHARE[1:]}\n\n@C@ after it."), kind=EITHER),
    Case("backslash_hash_before_marker", hidden(f"Secret.\n\n\\{FAKE_SHARE}\n\n@C@ after it."), kind=EITHER),
    Case("pre_block_with_blank_lines", hidden("<pre>\n\n## Shared again\n\n@C@ in pre.\n</pre>")),
    Case(
        "html_comment_with_blank_lines_and_heading",
        hidden("<!--\n\n## Shared again\n\n@C@\n-->\n\nMore secret."),
        kind=COMMENT,
    ),
    Case("footnote_label", hidden("Secret.[^@C@]\n\n[^@C@]: A note."), shown=False),
    Case(
        "abbreviation_defined_in_hidden", "Intro @N@ about the ILP.\n\n" + PRIVATE_MARKER + "\n\n*[ILP]: @C@ meaning\n"
    ),
    Case("marker_unquoted", "Intro @N@.\n\n## Private part {: visibility=private }\n\n@C@ text.\n"),
    Case(
        "marker_with_class", 'Intro @N@.\n\n## Private part {: .note visibility="private" }\n\n@C@ text.\n', kind=EITHER
    ),
    Case("hidden_section_at_end_of_file_without_newline", f"Intro @N@.\n\n{PRIVATE_MARKER}\n\n@C@ last"),
    Case("crlf_line_endings", hidden("@C@ text.\n\n### Sub\n\n@C@ more.").replace("\n", "\r\n")),
]


def _materialize(text: str, canary: str, neighbour: str) -> str:
    return text.replace("@C@", canary).replace("@N@", neighbour)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_markdown_construct_never_leaks(district: District, case: Case) -> None:
    """The canary under a private heading reaches no family/advisory/public file, whatever the construct.

    The leak is asserted first, so a failure on the check's verdict afterwards means a refusal or a
    missing error, not a leak.
    """
    key = re.sub(r"[^a-z0-9]", "", case.id.lower())
    canary = f"zqxc{key}7"
    neighbour = f"zqxn{key}3"
    for rel, text in case.files.items():
        district.write(_materialize(rel, canary, neighbour), _materialize(text, canary, neighbour), dedent=False)
    page = write_page(district, _materialize(case.body, canary, neighbour), front=case.front)

    out, built = build(district)
    assert_nowhere_but_full_access(out, canary)
    if case.kind == COMMENT:
        assert canary not in everything(out), "an HTML comment reached an audience (comments are dropped everywhere)"

    check = district.check()
    refused = check.exit_code != 0
    page_errors = error_lines(check.output, PAGE)
    if case.kind == ERROR:
        assert refused, f"a misplaced marker must be an error:\n{check.output}"
        assert case.error_at is not None
        expected = line_of(page, _materialize(case.error_at, canary, neighbour))
        assert any(line.startswith(f"{PAGE}:{expected}: ") for line in page_errors), (
            f"expected an error at {PAGE}:{expected}:\n{check.output}"
        )
        return
    if case.kind == EITHER and refused:
        assert page_errors, f"check failed, but not with a path:line error for the page:\n{check.output}"
        return
    assert not refused, f"a valid construct must pass the check (no leak, but refused):\n{check.output}"
    assert built.exit_code == 0, built.output
    if case.kind != COMMENT and case.shown:
        for audience in FULL_ACCESS:
            assert canary in corpus(out / audience / "ava"), (
                f"the canary is missing from the {audience} view: the test plants it wrong or text was lost"
            )
    assert neighbour in corpus(out / "family" / "ava"), "the visible neighbour must reach the family"


# --- 2. Student-written strings: comments and markup never reach any output ---------------------


def test_comment_in_page_title_reaches_no_output(district: District) -> None:
    write_page(
        district,
        "Some shared text.\n\n[Back](../career-exploration/nurse.md)\n",
        front='title: "Zqxvisibletitle <!-- zqxcomment1 --> page"\nvisibility: family\n',
    )
    check = district.check()
    assert check.exit_code == 0, check.output
    out, result = build(district)
    assert "zqxvisibletitle" in corpus(out / "student" / "ava"), result.output
    assert "zqxvisibletitle" in corpus(out / "family" / "ava"), result.output
    assert "zqxcomment1" not in everything(out)


def test_markup_in_page_title_reaches_no_output(district: District) -> None:
    write_page(
        district,
        "Some shared text.\n",
        front='title: "Zqxmarkuptitle <img src=x onerror=alert(1)> <b>bold</b> page"\nvisibility: family\n',
    )
    check = district.check()
    assert check.exit_code == 0, check.output
    out, result = build(district)
    assert "zqxmarkuptitle" in corpus(out / "family" / "ava"), result.output
    text = everything(out)
    assert "onerror" not in text
    assert "<b>bold</b>" not in text


def test_comment_in_preferred_name_reaches_no_output(district: District) -> None:
    profile = district.root / "students/ava/profile.yml"
    text = profile.read_text(encoding="utf-8")
    district.write("students/ava/profile.yml", text + 'preferred_name: "Zqxavi <!-- zqxcomment2 -->"\n', dedent=False)
    check = district.check()
    assert check.exit_code == 0, check.output
    out, result = build(district)
    assert "zqxavi" in corpus(out / "student" / "ava"), result.output
    assert "zqxcomment2" not in everything(out)


def test_comment_in_conference_title_and_slide_heading_reaches_no_output(district: District) -> None:
    district.write(
        "students/ava/conference.md",
        '---\ntitle: "Zqxdecktitle <!-- zqxcomment3 --> talk"\nvisibility: family\n---\n'
        "## Zqxslide robot <!-- zqxcomment4 -->\n\nIt picks up cups.\n\n---\n\n"
        "## Second slide\n\n![A chart <!-- zqxcomment5 -->](artifacts/chart.svg)\n\n"
        "[Link <!-- zqxcomment6 --> text](https://example.org/)\n",
        dedent=False,
    )
    check = district.check()
    assert check.exit_code == 0, check.output
    out, result = build(district)
    assert "zqxdecktitle" in corpus(out / "student" / "ava"), result.output
    assert "zqxslide" in corpus(out / "family" / "ava"), result.output
    text = everything(out)
    for canary in ("zqxcomment3", "zqxcomment4", "zqxcomment5", "zqxcomment6"):
        assert canary not in text, f"{canary} reached an output"


def test_comment_in_alt_and_link_text_of_a_page_reaches_no_output(district: District) -> None:
    write_page(
        district,
        "Intro.\n\n![Chart <!-- zqxcomment7 --> of pay](../artifacts/chart.svg)\n\n"
        "[Nice <!-- zqxcomment8 --> link](https://example.org/)\n",
    )
    check = district.check()
    assert check.exit_code == 0, check.output
    out, _ = build(district)
    text = everything(out)
    assert "zqxcomment7" not in text
    assert "zqxcomment8" not in text


# --- 3. YAML anchors and aliases -------------------------------------------------------------------


def test_yaml_alias_is_refused_and_leaks_nothing(district: District) -> None:
    goals = district.write(
        "students/ava/goals.yml",
        """\
        goals:
          - id: private-goal
            domain: social-emotional
            term: short
            statement: &secret zqxaliassecret4 is what worries me.
            status: in-progress
            visibility: private
          - id: shared-goal
            domain: academic
            term: short
            statement: *secret
            status: in-progress
        """,
    )
    out, _ = build(district)
    assert_nowhere_but_full_access(out, "zqxaliassecret4")
    check = district.check()
    assert check.exit_code == 1, f"a YAML alias must be an error:\n{check.output}"
    lines = {line_of(goals, "&secret"), line_of(goals, "*secret")}
    assert any(
        re.match(rf"students/ava/goals\.yml:({'|'.join(map(str, lines))}): ", line)
        for line in check.output.splitlines()
    ), check.output


def test_yaml_anchor_in_profile_is_refused(district: District) -> None:
    profile = district.root / "students/ava/profile.yml"
    district.write(
        "students/ava/profile.yml",
        profile.read_text(encoding="utf-8").replace("school: Harbor", "school: &s Harbor"),
        dedent=False,
    )
    check = district.check()
    assert check.exit_code == 1, f"a YAML anchor must be an error:\n{check.output}"
    assert any(
        line.startswith(f"students/ava/profile.yml:{line_of(profile, '&s')}: ") for line in check.output.splitlines()
    ), check.output


# --- 4. Front matter closed with '...' -------------------------------------------------------------


def test_front_matter_closed_with_dots_is_refused_and_leaks_nothing(district: District) -> None:
    rel = "students/ava/career-exploration/dots.md"
    district.write(rel, "---\ntitle: Zqxdotstitle9\nvisibility: private\n...\nZqxdotsbody9 is private.\n", dedent=False)
    out, _ = build(district)
    assert_nowhere_but_full_access(out, "zqxdotstitle9", "zqxdotsbody9")
    check = district.check()
    assert check.exit_code == 1, f"front matter closed with '...' must be an error:\n{check.output}"
    assert error_lines(check.output, rel), check.output


# --- 5. History: old versions and commits that only touch hidden parts -----------------------------


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "HOME": str(root.parent),
    }
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T16:00:00+00:00"
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def init_repo(district: District) -> None:
    profile = district.root / "students/ava/profile.yml"
    district.write(
        "students/ava/profile.yml",
        profile.read_text(encoding="utf-8") + "emails: [ava@students.example.org]\n",
        dedent=False,
    )
    git(district.root, "init", "-q", "-b", "main")
    git(district.root, "config", "user.name", "Ava Reyes")
    git(district.root, "config", "user.email", "ava@students.example.org")
    git(district.root, "config", "commit.gpgsign", "false")


def commit(district: District, date: str, message: str) -> None:
    git(district.root, "add", "-A")
    git(district.root, "commit", "-q", "-m", message, date=date)


GOALS_WITH_TYPO = """\
goals:
  - id: math-b
    domain: academic
    term: short
    statement: Get a B in math this semester.
    status: in-progress
    set: 2025-09-10
  - id: worry-goal
    domain: social-emotional
    term: short
    statement: Zqxoldstatement5 is what I worry about at home.
    status: in-progress
    set: 2025-09-10
    visibilty: private
"""


@pytest.mark.parametrize("fixed_visibility", ["private", "shared"])
def test_old_version_that_does_not_validate_is_private(district: District, fixed_visibility: str) -> None:
    init_repo(district)
    district.write("students/ava/goals.yml", GOALS_WITH_TYPO, dedent=False)
    commit(district, "2025-08-01", "Start my goals")
    fixed = GOALS_WITH_TYPO.replace(
        "Zqxoldstatement5 is what I worry about at home.", "Zqxnewstatement5 make one new friend in art club."
    )
    fixed = fixed.replace(
        "    visibilty: private\n", "    visibility: private\n" if fixed_visibility == "private" else ""
    )
    district.write("students/ava/goals.yml", fixed, dedent=False)
    commit(district, "2025-12-01", "Fix my goals")

    check = district.check()
    assert check.exit_code == 0, check.output
    out, result = build(district)
    assert (out / "family" / "ava").is_dir(), result.output
    assert_nowhere_but_full_access(out, "zqxoldstatement5")
    assert "zqxoldstatement5" in corpus(out / "student" / "ava" / "my-goals"), (
        "the student's goal evolution should show the old version (private counts as visible to the student): "
        "the test plants the history wrong"
    )
    family = corpus(out / "family" / "ava")
    if fixed_visibility == "shared":
        assert "zqxnewstatement5" in family, "the shared goal's current statement must reach the family"
    else:
        assert "zqxnewstatement5" not in family


DIARY = """\
---
title: Thinking about careers
visibility: family
---
Shared text: {shared}

## Private part {{: visibility="private" }}

{private}
"""


def test_commit_touching_only_a_hidden_section_is_not_in_the_family_change_record(district: District) -> None:
    init_repo(district)
    rel = "students/ava/career-exploration/diary.md"
    district.write(rel, DIARY.format(shared="I like hospitals.", private="First thought."), dedent=False)
    commit(district, "2026-02-10", "Start my career diary")
    district.write(
        rel, DIARY.format(shared="I like hospitals.", private="Zqxprivateedit6 second thought."), dedent=False
    )
    commit(district, "2026-03-03", "Zqxcommitmsg6 about my worries")
    district.write(
        rel,
        DIARY.format(shared="I like hospitals and clinics.", private="Zqxprivateedit6 second thought."),
        dedent=False,
    )
    commit(district, "2026-04-14", "Add clinics")

    check = district.check()
    assert check.exit_code == 0, check.output
    out, result = build(district)
    student_record = next((out / "student" / "ava").glob("change[_-]record*"), None)
    family_record = next((out / "family" / "ava").glob("change[_-]record*"), None)
    assert student_record is not None, result.output
    assert family_record is not None, result.output
    assert "march 3, 2026" in corpus(student_record), "the student's change record lists every commit"
    assert "zqxcommitmsg6" in corpus(student_record)
    assert "april 14, 2026" in corpus(family_record), "a change to a shared part is listed for the family"
    family_text = corpus(family_record)
    for form in ("march 3, 2026", "2026-03-03", "mar 3, 2026", "3 march 2026"):
        assert form not in family_text, (
            f"the family's change record lists a commit that only changed hidden text ({form})"
        )
    restricted = restricted_corpus(out)
    for form in ("march 3, 2026", "2026-03-03"):
        assert form not in restricted, f"{form}: the date of a hidden-only change reached a restricted audience"
    assert_nowhere_but_full_access(out, "zqxcommitmsg6", "zqxprivateedit6")
