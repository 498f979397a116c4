"""Warnings go through logging (mkdocs.plugins.ilp) and `--strict` turns them into a failing exit code."""

from __future__ import annotations

import logging

import pytest

from generator.pipeline import build
from tests.conftest import TODAY, TODAY_DATE, District

UNLINKED = "students/ava/artifacts/unused.svg"


def _with_a_warning(district: District) -> None:
    district.write(UNLINKED, '<svg xmlns="http://www.w3.org/2000/svg"/>\n', dedent=False)


def test_check_passes_with_warnings_and_fails_with_strict(district: District) -> None:
    _with_a_warning(district)
    assert district.check().exit_code == 0
    result = district.check(extra=("--strict",))
    assert result.exit_code == 1
    assert f"{UNLINKED}:1: warning: artifact is not linked from any page" in result.stdout


def test_build_logs_warnings_under_the_mkdocs_plugin_namespace(
    district: District, caplog: pytest.LogCaptureFixture
) -> None:
    _with_a_warning(district)
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.ilp"):
        result = build(district.root, district.root.parent / "site", TODAY_DATE)
    assert not result.errors
    logged = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.ilp"]
    assert any(m.startswith(f"{UNLINKED}:1: warning: artifact is not linked") for m in logged), logged


def test_build_with_strict_fails_on_a_warning(district: District) -> None:
    _with_a_warning(district)
    out = str(district.root.parent / "site")
    plain = district.run("build", "--root", str(district.root), "--out", out, "--today", TODAY)
    assert plain.exit_code == 0, plain.output
    strict = district.run("build", "--root", str(district.root), "--out", out, "--today", TODAY, "--strict")
    assert strict.exit_code == 1
    assert "--strict counts them as errors" in strict.output
