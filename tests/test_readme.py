"""The README's quick start: exactly two commands, the second being what CI runs."""

from __future__ import annotations

import re

from tests.conftest import REPO


def test_quick_start_has_two_commands_and_ci_runs_the_second() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "ilp demo demo-district" in commands[0]
    assert "ilp build --root demo-district" in commands[0]
    assert "pip install -e '.[test]'" in commands[1]
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")
