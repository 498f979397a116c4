"""The repository's own sample district passes `ilp check`."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from generator.cli import main

REPO = Path(__file__).resolve().parents[1]


def _check() -> dict[str, object]:
    result = CliRunner().invoke(main, ["check", "--root", str(REPO), "--format", "json"], catch_exceptions=False)
    payload: dict[str, object] = json.loads(result.stdout)
    assert result.exit_code == (1 if payload["summary"]["errors"] else 0)  # type: ignore[index]
    return payload


def test_sample_district_has_no_errors() -> None:
    payload = _check()
    errors = [d for d in payload["diagnostics"] if d["severity"] == "error"]  # type: ignore[attr-defined]
    assert errors == []
    summary = payload["summary"]
    assert summary["students"] >= 10  # type: ignore[index]
    assert summary["lessons"] >= 14  # type: ignore[index]


def test_sample_district_covers_every_grade_and_case() -> None:
    grades: dict[str, int] = {}
    profiles = {}
    for profile_file in sorted((REPO / "students").glob("*/profile.yml")):
        profile = yaml.safe_load(profile_file.read_text(encoding="utf-8"))
        profiles[profile_file.parent.name] = profile
        grades[profile_file.parent.name] = 12 - (profile["graduation_year"] - 2027)
    assert set(grades.values()) == set(range(6, 13))
    supports = {s["type"] for p in profiles.values() for s in p.get("supports", [])}
    assert {"iep", "english-learner"} <= supports
    assert any(p.get("languages", {}).get("family") == "es" for p in profiles.values())
    assert any("from" in p.get("joined", {}) for p in profiles.values())
    for grade in range(6, 13):
        lessons = list((REPO / "curriculum" / f"grade-{grade:02d}").glob("*.md"))
        assert len(lessons) >= 2, grade
