"""Stage 1 in memory: YAML values with the line of every key and item."""

from __future__ import annotations

import pytest

from generator.load.documents import LoadError, parse_yaml, split_markdown


def test_lines_of_keys_and_items() -> None:
    doc = parse_yaml("a: 1\nb:\n  - x\n  - y: 2\n    z: 2026-01-05\n", "f.yml")
    assert doc.data == {"a": 1, "b": ["x", {"y": 2, "z": "2026-01-05"}]}
    assert doc.line(("a",)) == 1
    assert doc.line(("b", 0)) == 3
    assert doc.line(("b", 1)) == 4
    assert doc.line(("b", 1, "z")) == 5
    assert doc.line(("b", 1, "z", "missing")) == 5


def test_front_matter_offset() -> None:
    page = split_markdown("---\ntitle: A\ndate: 2026-01-01\n---\nBody\n", "p.md")
    assert page.meta is not None
    assert page.meta.line(("date",)) == 3
    assert page.body == "Body\n"
    assert page.body_line == 5


def test_no_front_matter() -> None:
    page = split_markdown("# Just text\n", "p.md")
    assert page.meta is None
    assert page.body_line == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: !!python/object:os.system x\n",
            "f.yml:1: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not supported; remove it",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "f.yml:2: YAML syntax error: expected a single document in the stream, but found another document (a '---' line starts a second document; remove it)",
        ),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", "f.yml:3: merge keys ('<<') are not supported; write the keys out"),
        ("[1, 2]: x\n", "f.yml:1: a key must be plain text, not a list or mapping"),
    ],
)
def test_unsafe_or_unsupported_yaml(text: str, message: str) -> None:
    with pytest.raises(LoadError) as caught:
        parse_yaml(text, "f.yml")
    assert caught.value.diagnostic.format() == message


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(LoadError) as caught:
        parse_yaml("a: " + "[" * 100 + "]" * 100 + "\n", "f.yml")
    assert "nested more than 64 levels deep" in caught.value.diagnostic.message
