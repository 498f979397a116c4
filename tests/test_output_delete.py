"""Removing a previous output (generator/site/output.py `delete`): everything in it goes, nothing a link in it
points to does, in a real folder in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site.output import delete


def test_delete_removes_every_file_and_follows_no_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "keep").mkdir(parents=True)
    (outside / "keep" / "precious.txt").write_text("not the build's", encoding="utf-8")
    old = tmp_path / ".site.old-1"
    for audience in ("student", "family", "public"):
        for n in range(5):
            page = old / audience / f"s{n}" / "my-goals"
            page.mkdir(parents=True)
            (page / "index.html").write_text("<p>x</p>", encoding="utf-8")
    (old / "index.html").write_text("start", encoding="utf-8")
    (old / "student" / "linked").symlink_to(outside / "keep", target_is_directory=True)
    (old / "linked-top").symlink_to(outside, target_is_directory=True)
    (old / "family" / "s0" / "file-link").symlink_to(outside / "keep" / "precious.txt")
    delete(old)
    assert not old.exists()
    assert (outside / "keep" / "precious.txt").read_text(encoding="utf-8") == "not the build's"


def test_delete_of_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        delete(tmp_path / "nothing")
