"""The pre-commit hook that district repositories use runs `ilp check` on the files a commit touches."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import REPO, District


def test_hook_definition() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "ilp-check")
    assert hook["entry"] == "ilp check"
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    for path in ("students/ava/goals.yml", "curriculum/framework.yml", "mkdocs.yml", "content/index.md"):
        assert pattern.search(path)
    assert not pattern.search("generator/cli.py")


def test_hook_as_pre_commit_runs_it(district: District, monkeypatch: object) -> None:
    """pre-commit runs the entry in the repository root with the staged file names after it."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = next(h for h in hooks if h["id"] == "ilp-check")["entry"].split()
    assert entry[0] == "ilp"
    district.write("students/ben/profile.yml", "name: Ben\ngraduation_year: 2031\neducators: [nobody]\n")
    cwd = Path.cwd()
    os.chdir(district.root)
    try:
        ok = CliRunner().invoke(main, [*entry[1:], "--today", "2026-11-25", "students/ava/goals.yml"])
        bad = CliRunner().invoke(main, [*entry[1:], "--today", "2026-11-25", "students/ben/profile.yml"])
    finally:
        os.chdir(cwd)
    assert ok.exit_code == 0, ok.output
    assert bad.exit_code == 1
    assert "students/ben/profile.yml:3: unknown educator 'nobody'; use an id from the roster" in bad.stdout
