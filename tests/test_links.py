"""Links for families without an account: sharing.yml checked with lines, tokens from a key outside the
repository, `ilp links`, and a link never written into any page."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from generator.deploy.links import links, token
from generator.model import Student
from tests.conftest import TODAY, District

SHARING = """\
links:
  - for: Grandma Rosa zqxlinkwho1
    audience: family
    expires: 2027-06-30
  - for: Uncle Ben
    audience: advisory
    expires: 2026-10-01
  - for: Old one
    audience: family
    expires: 2027-06-30
    revoked: true
"""


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "secrets" / "link.key"
    path.parent.mkdir()
    path.write_text("q7Vt3mPz0cW9Yb2Kx8Lr5Nd1Hs4Gf6Ja==\n")
    return path


def test_links_are_checked_with_lines(district: District) -> None:
    district.write(
        "students/ava/sharing.yml",
        "links:\n  - for: A\n    audience: famly\n    expires: 2027-01-01\n"
        "  - for: B\n    audience: educator\n    expires: 2027-01-01\n"
        "  - for: C\n    audience: family\n    expires: 2026-01-01\n"
        "  - for: D\n    audience: family\n",
        dedent=False,
    )
    lines = district.problems()
    assert (
        "students/ava/sharing.yml:3: unknown link audience 'famly' (did you mean 'family'?) "
        "(expected: advisory, family)"
    ) in lines
    assert (
        "students/ava/sharing.yml:6: links cannot share the student's or the educators' view; "
        "choose one of family, advisory"
    ) in lines
    assert any(line.startswith("students/ava/sharing.yml:11: missing required key 'expires'") for line in lines), lines
    assert district.check().exit_code == 1


def test_an_expired_link_is_a_warning_and_the_student_still_builds(district: District) -> None:
    district.write("students/ava/sharing.yml", SHARING)
    result = district.check()
    assert result.exit_code == 0, result.output
    assert (
        "students/ava/sharing.yml:7: warning: the link for 'Uncle Ben' expired on 2026-10-01; "
        "it no longer works (renew it or remove it)"
    ) in result.stdout.splitlines()


def test_tokens_are_long_keyed_and_change_with_the_key_and_the_entry() -> None:
    entry = {"for": "Grandma", "audience": "family", "expires": "2027-06-30"}
    first = token(b"k" * 32, "ava", entry)
    assert len(first) == 64  # 256 bits
    assert token(b"k" * 32, "ava", entry) == first
    assert token(b"j" * 32, "ava", entry) != first  # rotating the key ends every link
    assert token(b"k" * 32, "ava", {**entry, "expires": "2027-07-01"}) != first
    assert token(b"k" * 32, "ben", entry) != first


def test_live_means_not_revoked_and_not_past_the_expiry_date() -> None:
    student = Student(
        "ava",
        "students/ava",
        {},
        (),
        {},
        (),
        (),
        (),
        (),
        links=(
            {"for": "A", "audience": "family", "expires": "2026-11-25"},
            {"for": "B", "audience": "family", "expires": "2026-11-25", "revoked": True},
        ),
    )
    live, revoked = links(student, b"k" * 32)
    assert live.live(datetime.date(2026, 11, 25))  # through the end of its expiry date
    assert not live.live(datetime.date(2026, 11, 26))
    assert not revoked.live(datetime.date(2026, 11, 1))
    assert live.path.startswith("l/")
    assert live.serves == "family/ava/"


def test_ilp_links_prints_each_link(district: District, key_file: Path) -> None:
    district.write("students/ava/sharing.yml", SHARING)
    result = district.run(
        "links", "ava", "--root", str(district.root), "--today", TODAY, "--link-key-file", str(key_file)
    )
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert [row[:3] for row in rows] == [
        ["Grandma Rosa zqxlinkwho1", "family", "2027-06-30"],
        ["Uncle Ben", "advisory", "2026-10-01"],
        ["Old one", "family", "2027-06-30"],
    ]
    assert rows[0][3].startswith("l/")
    assert len(rows[0][3]) == len("l/") + 64 + 1
    assert rows[1][3] == "expired on 2026-10-01"
    assert rows[2][3] == "revoked"


def test_the_key_must_be_outside_the_repository_and_long_enough(district: District, tmp_path: Path) -> None:
    district.write("students/ava/sharing.yml", SHARING)
    inside = district.write("link.key", "x" * 40 + "\n", dedent=False)
    result = district.run("links", "ava", "--root", str(district.root), "--link-key-file", str(inside))
    assert result.exit_code == 1
    assert "the link key file is inside the repository" in result.output
    short = tmp_path / "short.key"
    short.write_text("abc\n")
    result = district.run("links", "ava", "--root", str(district.root), "--link-key-file", str(short))
    assert result.exit_code == 1
    assert "the link key is shorter than 32 bytes" in result.output
    result = district.run("links", "ava", "--root", str(district.root))
    assert result.exit_code == 1
    assert "give the link key" in result.output


def test_no_link_and_no_name_it_is_for_reaches_any_built_page(district: District, key_file: Path) -> None:
    district.write("students/ava/sharing.yml", SHARING)
    listed = district.run(
        "links", "ava", "--root", str(district.root), "--today", TODAY, "--link-key-file", str(key_file)
    )
    live = listed.output.splitlines()[0].split("\t")[3]
    out = district.root.parent / "site"
    result = district.run("build", "--root", str(district.root), "--out", str(out), "--today", TODAY)
    assert result.exit_code == 0, result.output
    token_text = live.split("/")[1]
    for path in out.rglob("*"):
        assert token_text not in path.name
        if path.is_file():
            data = path.read_bytes()
            assert token_text.encode() not in data, path
            assert b"zqxlinkwho1" not in data, path
