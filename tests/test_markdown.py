"""Pure tests of the Markdown readers: visibility markers and links."""

from __future__ import annotations

from generator.markdown.document import parse
from generator.markdown.links import Link, resolve
from generator.markdown.urls import Url, urls
from generator.visibility.markers import markers, unknown_words, words

ALLOWED = ("private", "student", "educator", "family", "advisory", "public")


def test_words() -> None:
    assert words("family") == ("family",)
    assert words("family advisory") == ("family", "advisory")
    assert words("family, advisory") == ("family", "advisory")
    assert words(["family", "public"]) == ("family", "public")
    assert unknown_words(["family", "famly"], ALLOWED) == [
        "unknown visibility 'famly' (did you mean 'family'?) "
        "(expected: advisory, educator, family, private, public, student)"
    ]


def test_markers_outside_code_only() -> None:
    body = "\n".join(
        [
            "# Plan",  # 10
            "",
            "```",
            '## Not a heading {: visibility="famly" }',  # 13: in a fence, ignored
            "```",
            "",
            '    ## indented code {: visibility="nobody" }',  # 16: indented code: refused, it may be a list's heading
            "",
            'Money {: visibility="family" }',  # 18: setext heading
            "-----",
            "",
            '## Barriers {: visibility="family advisory" }',  # 21
            "",
            '### Deep {: visibility="private" }',  # 23
        ]
    )
    found = list(markers(parse(body, 10), ALLOWED))
    assert [(m.line, m.level, m.visibility, m.problems) for m in found] == [
        (
            16,
            0,
            None,
            (
                "an indented line with a visibility marker; start the heading at the beginning of the line, "
                "or show examples in a fenced code block (```)",
            ),
        ),
        (18, 2, ("family",), ()),
        (21, 2, ("family", "advisory"), ()),
        (23, 3, ("private",), ()),
    ]


def test_marker_on_a_paragraph_is_an_error() -> None:
    found = list(markers(parse('Some text {: visibility="private" }\n'), ALLOWED))
    assert len(found) == 1
    assert found[0].problems == (
        "a visibility marker works only at the end of a heading line, such as '## My plan {: visibility=\"family\" }'",
    )


def test_links_outside_code() -> None:
    body = "\n".join(
        [
            "[a](pages/a.md) and ![pic](../artifacts/p.png 'title')",
            "`[not](a-link.md)`",
            "```",
            "[nor](this.md)",
            "```",
            "[ref]: ../artifacts/r.pdf",
            "",
            "A [reference][ref] link,",
            "and a second line ![](../artifacts/q.png).",
            "",
            '<img src="../artifacts/i.png" alt="x">',
            "<!-- [commented](out.md) -->",
        ]
    )
    assert list(urls(parse(body, 1))) == [
        Url(1, "pages/a.md", False),
        Url(1, "../artifacts/p.png", True, "pic"),
        Url(8, "../artifacts/r.pdf", False),
        Url(9, "../artifacts/q.png", True, ""),
        Url(11, "../artifacts/i.png", True, "x"),
    ]


def test_resolve_stays_in_the_folder() -> None:
    files = frozenset({"artifacts/p.png", "self-awareness/me.md"})
    page = "self-awareness/me.md"
    assert resolve(Link(1, "../artifacts/p.png", True), page, files) == ("artifacts/p.png", None)
    assert resolve(Link(1, "../artifacts/p%2Epng#x", True), page, files) == ("artifacts/p.png", None)
    assert resolve(Link(1, "#top", False), page, files) == (None, None)
    assert resolve(Link(1, "https://example.org", False), page, files) == (None, None)
    assert resolve(Link(1, "mailto:a@example.org", False), page, files) == (None, None)
    outside = resolve(Link(1, "../../other/goals.yml", False), page, files)
    assert outside[1] is not None
    assert "leads out of your folder" in outside[1]
    absolute = resolve(Link(1, "/etc/passwd", False), page, files)
    assert absolute[1] is not None
    assert "absolute path" in absolute[1]
    data = resolve(Link(1, "data:image/png;base64,xx", True), page, files)
    assert data[1] is not None
    assert "is not a file in your folder" in data[1]
