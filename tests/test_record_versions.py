"""The change record's old page versions: an audience's record lists a commit only if it changed what
that audience sees, whether the versions hold visibility markers (parsed and filtered) or none
(compared as text, unparsed: `markers.unmarked`), and across the two kinds.

End to end on a real git repository in tmp_path (`ilp build`, every built file searched), and the
shortcut's one claim as a property: a text that `unmarked` passes holds nothing the filter reads as a
marker, so the page's own visibility covers all of it.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markdown.document import parse
from generator.visibility.markers import filter_document, markers, unmarked
from tests.conftest import District
from tests.scan import build, corpus, restricted_corpus
from tests.test_adversarial import commit, init_repo

PAGE = "students/ava/career-exploration/diary.md"
RESTRICTED = ("family", "advisory", "public")


def page(body: str, visibility: str = "family advisory") -> str:
    return f"---\ntitle: Thinking about careers\nvisibility: {visibility}\n---\n{body}"


def records(out: Path) -> dict[str, str]:
    """Each audience's change record of Ava, lowercased."""
    found = {}
    for audience in ("student", "family", "advisory"):
        folder = next((out / audience / "ava").glob("change[_-]record*"), None)
        assert folder is not None, f"no change record for {audience}"
        found[audience] = corpus(folder)
    return found


def history(district: District, *versions: tuple[str, str, str]) -> dict[str, str]:
    """Commit each (date, message, text of the page) in turn, check and build; the change records."""
    init_repo(district)
    commit(district, "2025-09-02", "Start my ILP")  # the rest of Ava's folder: its date is in every record
    for date, message, text in versions:
        district.write(PAGE, text, dedent=False)
        commit(district, date, message)
    check = district.check()
    assert check.exit_code == 0, check.output
    out, result = build(district)
    assert result.exit_code == 0, result.output
    return records(out) | {"restricted": restricted_corpus(out)}


HIDDEN = '\n## Worries {: visibility="private" }\n\nZqxhidden7 what I do not share.\n'


def test_deleting_a_hidden_section_is_not_a_change_for_the_family(district: District) -> None:
    """Marked, then unmarked with the shared text the same: the pair is parsed, and nothing the family
    sees changed. Then a shared edit, between two unmarked versions: listed."""
    shown = history(
        district,
        ("2026-02-10", "Start", page("I like hospitals.\n" + HIDDEN)),
        ("2026-03-03", "Zqxmsg7 drop my worries", page("I like hospitals.\n")),
        ("2026-04-14", "Add clinics", page("I like hospitals and clinics.\n")),
    )
    for audience in ("family", "advisory"):
        assert "february 10, 2026" in shown[audience], audience
        assert "april 14, 2026" in shown[audience], audience
        assert "march 3, 2026" not in shown[audience], f"{audience}: a hidden-only change is listed"
    assert "march 3, 2026" in shown["student"]
    for form in ("march 3, 2026", "2026-03-03", "zqxmsg7", "zqxhidden7"):
        assert form not in shown["restricted"], form


def test_adding_a_hidden_section_is_not_a_change_for_the_family(district: District) -> None:
    """Unmarked, then marked with the shared text the same, then the hidden part edited."""
    shown = history(
        district,
        ("2026-02-10", "Start", page("I like hospitals.\n")),
        ("2026-03-03", "Add worries", page("I like hospitals.\n" + HIDDEN)),
        ("2026-04-14", "Edit worries", page("I like hospitals.\n" + HIDDEN.replace("what", "all"))),
        ("2026-05-05", "Shared again", page("I like clinics.\n" + HIDDEN)),
    )
    for audience in ("family", "advisory"):
        assert "february 10, 2026" in shown[audience], audience
        assert "may 5, 2026" in shown[audience], audience
        for hidden in ("march 3, 2026", "april 14, 2026"):
            assert hidden not in shown[audience], f"{audience}: {hidden}, a hidden-only change, is listed"
    assert "march 3, 2026" in shown["student"]
    assert "april 14, 2026" in shown["student"]


def test_unmarked_versions_hidden_then_shared(district: District) -> None:
    """No marker anywhere: a version the family may not see (the page's own visibility) is no change
    for them; the commit that shares it is one, and so is every later edit of the text."""
    shown = history(
        district,
        ("2026-02-10", "Start", page("I like hospitals.\n", "private")),
        ("2026-02-20", "Still private", page("I like hospitals a lot.\n", "private")),
        ("2026-03-03", "Share it", page("I like hospitals a lot.\n")),
        ("2026-04-14", "Add clinics", page("I like hospitals and clinics.\n")),
        ("2026-05-05", "Share with everyone", page("I like hospitals and clinics.\n", "family advisory public")),
    )
    family, advisory = shown["family"], shown["advisory"]
    for date in ("march 3, 2026", "april 14, 2026"):
        assert date in family, date
        assert date in advisory, date
    for date in ("february 10, 2026", "february 20, 2026"):
        assert date not in family, f"{date}: a version the family could not see"
        assert date not in advisory, f"{date}: a version the advisory group could not see"
    for audience in ("family", "advisory"):
        assert "may 5, 2026" not in shown[audience], "only the page's visibility changed, seen before and after"
    assert all(date in shown["student"] for date in ("february 10, 2026", "february 20, 2026", "may 5, 2026"))


# --- The claim `unmarked` makes --------------------------------------------------------------------

# Pieces of Markdown that make headings, attribute lists, code, quotes, lists and HTML, with the
# letters of "visibility" in both cases and the Unicode letters that Python's case-blind matching
# takes for 'i' (U+0130, U+0131).
PIECES = st.sampled_from(
    [
        "# ",
        "## ",
        "### ",
        "\n",
        "\n\n",
        "    ",
        "> ",
        "- ",
        "1. ",
        "```\n",
        "<div>",
        "</div>",
        "<!-- ",
        " -->",
        "{",
        "}",
        "{:",
        ": ",
        "=",
        ":",
        '"',
        "'",
        "#id",
        ".private",
        ".family",
        "visibility",
        "VISIBILITY",
        "vis",
        "ib",
        "ility",
        "v",
        "i",
        "s",
        "b",
        "\u0130",
        "\u0131",
        "family",
        "private",
        "text",
        "---\n",
        "===\n",
        "|",
        "&#123;",
        "&#118;",
        "\\{",
        "`",
        "[^1]",
        "[^1]: ",
        "Term\n: ",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_an_unmarked_text_is_seen_whole_or_not_at_all(text: str) -> None:
    doc = parse(text)
    if not unmarked(text):
        return
    assert not list(markers(doc, ("private", "family", "advisory", "public"))), text
    every = {block.index for block in doc.blocks}
    shown = filter_document(doc, ("family",), lambda words: "family" in words)
    assert {block.index for block in shown.kept_blocks} == every, text
    hidden = filter_document(doc, ("private",), lambda words: "family" in words)
    assert not hidden.kept_blocks, text


def test_unmarked_refuses_every_way_of_writing_a_marker() -> None:
    for text in (
        '## Plan {: visibility="family" }',
        "## Plan {: .private }",
        "## Plan {.private}",
        "Plan\n====\n{: visibility=family }",
        "## Plan VISIBILITY: family",
        "- ## Plan {: visibility=private }",
        "vis\u0130bility=private",
        "v\u0131S\u0131bility: family",
        "    indented visibility: private",
    ):
        assert not unmarked(text), text
    assert unmarked("I like hospitals.\n\n## My plan\n\n- visit a clinic\n")
