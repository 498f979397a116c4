"""A state is data: the checker accepts another state's framework by configuration alone."""

from __future__ import annotations

import shutil

from tests.conftest import REPO, District


def _use_kentucky(district: District) -> None:
    shutil.copytree(REPO / "curriculum" / "frameworks", district.root / "curriculum" / "frameworks")
    config = (district.root / "mkdocs.yml").read_text(encoding="utf-8")
    district.write(
        "mkdocs.yml",
        config.replace("framework: curriculum/framework.yml", "framework: curriculum/frameworks/kentucky.yml"),
        dedent=False,
    )


def test_both_frameworks_are_valid(district: District) -> None:
    assert district.check("curriculum").exit_code == 0
    _use_kentucky(district)
    # The sample lesson and student cite Rhode Island activities and sections: now unknown.
    result = district.check()
    assert result.exit_code == 1
    assert not any(line.startswith("curriculum/frameworks/") for line in result.stdout.splitlines()), result.stdout
    assert "unknown activity 'g7-career-research'" in result.stdout


def test_kentucky_student(district: District) -> None:
    _use_kentucky(district)
    shutil.rmtree(district.root / "students" / "ava")
    shutil.rmtree(district.root / "curriculum" / "grade-07")
    result = district.run("new", "kai", "--name", "Kai Moss", "--grade", "6", "--root", str(district.root))
    assert result.exit_code == 0, result.output
    import yaml

    framework = yaml.safe_load((REPO / "curriculum/frameworks/kentucky.yml").read_text(encoding="utf-8"))
    for section in framework["sections"]:
        assert (district.root / "students/kai" / section["id"] / "index.md").is_file()
    first = framework["grades"][0]["activities"][0]
    district.write(
        f"students/kai/{first['section']}/first.md",
        f"---\ntitle: First\nactivity: {first['id']}\ndate: 2026-10-01\n---\nDone.\n",
        dedent=False,
    )
    result = district.check()
    assert result.exit_code == 0, result.output
    district.write("students/kai/coursework/x.md", "---\ntitle: X\n---\nRhode Island section.\n", dedent=False)
    result = district.check()
    assert result.exit_code == 1
    assert "students/kai/coursework/x.md:1: unknown folder 'coursework'" in result.stdout
