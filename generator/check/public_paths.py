"""The public addresses students choose (`public_path:` in profile.yml): each taken once."""

from __future__ import annotations

from generator.errors import Report

SITE_FOLDERS = ("curriculum", "search", "assets")  # folders of the public site no student may take


def check_public_paths(chosen: list[tuple[str, str, str, int]], content: set[str], report: Report) -> set[str]:
    """The students (of `chosen`: id, public_path, file, line) whose public_path is taken, by another
    student (the first by id keeps it) or a district page (`content`): reported, with the line."""
    taken: dict[str, str] = dict.fromkeys((*content, *SITE_FOLDERS), "a district page")
    refused: set[str] = set()
    for student_id, path, file, line in sorted(chosen):
        if path in taken:
            report.error(file, line, f"public_path '{path}' is already used by {taken[path]}; choose another")
            refused.add(student_id)
        else:
            taken[path] = f"students/{student_id}"
    return refused
